/**
 * Rate limits (contract §6, §8), against the target started with tight limits (burst 5, one token
 * every 5 s): a token bucket per API key; RateLimit-Limit/Remaining/Reset on every authenticated
 * reply, 429 `rate_limited` with `Rate limit exceeded.` and Retry-After (whole seconds, >= 1);
 * 401 comes before 429, and 429 before everything else.
 *
 * Against an external target (its own limits, unknown here) only the checks that hold for any
 * limits run: the bucket is found by flooding a fresh key with more than its burst at once.
 */
import { beforeEach, describe, expect, inject, it } from 'vitest'
import { api, LIMITED_URL, newOrg, type Org, type RequestOptions, workflowPath } from './client.js'
import { expectError, expectRateLimitHeaders } from './expect.js'
import { FIVE_STEPS, jsonOfSize, randomKey, UNKNOWN_WORKFLOW_ID } from './fixtures.js'

const TIGHT = inject('tightLimits')
const BURST = 5

const limited = (method: string, path: string, opts: RequestOptions = {}) =>
  api(method, path, { ...opts, base: LIMITED_URL, noRetry: true })

let org: Org
beforeEach(async () => {
  org = await newOrg('Rate limited', LIMITED_URL)
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Takes every token of the key's bucket with sequential GETs, until the first 429. */
async function drain(key: string) {
  for (let i = 0; i < 10_000; i++) {
    const reply = await limited('GET', '/v1/workflows', { key })
    if (reply.status === 429) return reply
    expect(reply.status).toBe(200)
  }
  throw new Error('never rate limited')
}

function expectRateLimited(reply: Awaited<ReturnType<typeof api>>) {
  const error = expectError(reply, 429, 'rate_limited')
  expect(error.error).toBe('Rate limit exceeded.')
  expect(reply.headers.get('retry-after')).toMatch(/^\d+$/)
  expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  expect(expectRateLimitHeaders(reply).remaining).toBe(0)
}

describe('rate limits, for any limits', () => {
  it('refuses a burst larger than RateLimit-Limit with 429, with the headers on every reply', async () => {
    const first = await limited('GET', '/v1/workflows', { key: org.live })
    expect(first.status).toBe(200)
    const { limit } = expectRateLimitHeaders(first)
    const replies = await Promise.all(Array.from({ length: 2 * limit + 10 }, () => limited('GET', '/v1/workflows', { key: org.live })))
    const statuses = new Set(replies.map((r) => r.status))
    expect([...statuses].sort()).toEqual([200, 429])
    for (const reply of replies) {
      expect(expectRateLimitHeaders(reply).limit).toBe(limit)
      if (reply.status === 429) expectRateLimited(reply)
    }
  })

  it('answers 401, not 429, for a missing or unknown key while a key is over its limit', async () => {
    await drain(org.live)
    expectError(await limited('GET', '/v1/workflows'), 401, 'unauthorized')
    expectError(await limited('GET', '/v1/workflows', { key: randomKey() }), 401, 'unauthorized')
  })

  it('keeps one bucket per key: other keys of the organization are not limited', async () => {
    await drain(org.live)
    expect((await limited('GET', '/v1/workflows', { key: org.sandbox })).status).toBe(200)
  })

  it('does not put RateLimit-* headers on replies without a key', async () => {
    const reply = await limited('GET', '/health')
    expect(reply.headers.get('ratelimit-limit')).toBeNull()
  })
})

describe.runIf(TIGHT)('rate limits, with the tight target (burst 5, 0.2 a second)', () => {
  it('counts down RateLimit-Remaining from the burst, then refuses with 429 and Retry-After', async () => {
    const seen = []
    for (let i = 0; i < BURST; i++) {
      const reply = await limited('GET', '/v1/workflows', { key: org.live })
      expect(reply.status).toBe(200)
      seen.push(expectRateLimitHeaders(reply))
    }
    expect(seen.map((h) => h.limit)).toEqual([5, 5, 5, 5, 5])
    expect(seen.map((h) => h.remaining)).toEqual([4, 3, 2, 1, 0])
    // Whole seconds until the bucket is full again: 1 token missing is 5 s at 0.2 a second.
    expect(seen.map((h) => h.reset)).toEqual([5, 10, 15, 20, 25])
    const refused = await limited('GET', '/v1/workflows', { key: org.live })
    expectRateLimited(refused)
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(5)
    expect(expectRateLimitHeaders(refused)).toMatchObject({ limit: 5, remaining: 0 })
  })

  it('keeps one bucket per key: another key of the organization, or of another organization, still has its whole burst', async () => {
    const other = await newOrg('Other', LIMITED_URL)
    await drain(org.live)
    for (const key of [org.sandbox, other.live]) {
      const reply = await limited('GET', '/v1/workflows', { key })
      expect(reply.status).toBe(200)
      expect(expectRateLimitHeaders(reply).remaining).toBe(BURST - 1)
    }
  })

  it('does not count requests without a valid key against any bucket', async () => {
    for (let i = 0; i <= BURST; i++) expectError(await limited('GET', '/v1/workflows'), 401, 'unauthorized')
    expect((await limited('GET', '/health')).status).toBe(200)
    expect(expectRateLimitHeaders(await limited('GET', '/v1/workflows', { key: org.live })).remaining).toBe(BURST - 1)
  })

  it('counts every authenticated request, errors included', async () => {
    expect(expectRateLimitHeaders(await limited('GET', '/v1/nope', { key: org.live })).remaining).toBe(4)
    expect(expectRateLimitHeaders(await limited('POST', '/v1/workflows', { key: org.live, body: {} })).remaining).toBe(3)
    expect(expectRateLimitHeaders(await limited('POST', '/v1/workflows', { key: org.sandbox, body: FIVE_STEPS })).remaining).toBe(4)
  })

  it('answers 429 before 404 route, 405, 403 sandbox, 413, 415, 400 and 404 workflow', async () => {
    await Promise.all([drain(org.live), drain(org.sandbox)])
    const key = org.live
    const replies = await Promise.all([
      limited('GET', '/v1/nope', { key }),
      limited('PUT', '/v1/workflows', { key, body: {} }),
      limited('POST', '/v1/workflows', { key: org.sandbox, body: FIVE_STEPS }),
      limited('POST', '/v1/workflows', { key, body: jsonOfSize(FIVE_STEPS, 65537) }),
      limited('POST', '/v1/workflows', { key, body: 'x', headers: { 'content-type': 'text/plain' } }),
      limited('POST', '/v1/workflows', { key, body: '{' }),
      limited('GET', '/v1/workflows?limit=0', { key }),
      limited('GET', workflowPath(UNKNOWN_WORKFLOW_ID), { key }),
    ])
    for (const reply of replies) expectRateLimited(reply)
  })

  it('lets the key through again once Retry-After has passed', async () => {
    const refused = await drain(org.live)
    await sleep(Number(refused.headers.get('retry-after')) * 1000 + 100)
    const again = await limited('GET', '/v1/workflows', { key: org.live })
    expect(again.status).toBe(200)
    expect(expectRateLimitHeaders(again).remaining).toBe(0)
  }, 20_000)
})
