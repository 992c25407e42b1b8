/**
 * Admission with answers in flight (middleware/admit.ts): a remembered key's check and a shared
 * limiter's decision run beside the route. A refused request is answered exactly as if the route
 * had never run (same status, body and headers), and none of its writes is made.
 */

import { revokeApiKey } from '@wf/domain'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RateDecision, RateLimiter } from '../rate-limit/limiter.js'
import { createTestApi, FIVE_STEPS, type TestApi, type TestOrg } from '../test-support/harness.js'
import { createWorkflow, expectError, expectRateLimitHeaders, getWorkflow, readJson } from '../test-support/helpers.js'
import { type KeyIdentities, readKeyEachTime } from './key-identities.js'

let t: TestApi
let org: TestOrg
let other: TestOrg

beforeEach(async () => {
  t = createTestApi()
  org = await t.newOrg()
  other = await t.newOrg('Other')
})
afterEach(() => t.close())

/** The headers a response carries, but the request id (each request has its own). */
function headersOf(res: Response): Record<string, string> {
  return Object.fromEntries([...res.headers].filter(([name]) => name !== 'x-request-id'))
}

/** A limiter whose decisions arrive later (as a Durable Object's, Redis's), and refuse while `refusing`. */
class DeferredLimiter implements RateLimiter {
  refusing = false
  take(): Promise<RateDecision> {
    const allowed = !this.refusing
    return new Promise((resolve) =>
      setTimeout(() => resolve({ allowed, limit: 5, remaining: allowed ? 4 : 0, resetSeconds: 1, retryAfterSeconds: allowed ? 0 : 1 }), 1),
    )
  }
}

async function countWorkflows(key: string): Promise<number> {
  return (await readJson(await t.request('GET', '/v1/workflows?limit=100', { key }))).workflows.length
}

describe('a remembered key revoked since', () => {
  // The key is used once (remembered), then revoked: its next request starts as if it were valid.
  let workflowId: string
  beforeEach(async () => {
    workflowId = (await createWorkflow(t, org.live)).id
    await revokeApiKey(t.deps, org.liveKeyId)
  })

  it('is refused with the same answer as a key never seen, on every route', async () => {
    const unknown = await t.request('GET', `/v1/workflows/${workflowId}`, { key: `wf_live_${'B'.repeat(43)}` })
    const refused = [
      await t.request('GET', `/v1/workflows/${workflowId}`, { key: org.live }),
      await t.request('GET', '/v1/workflows', { key: org.live }),
      await t.request('POST', '/v1/workflows', { key: org.live, body: FIVE_STEPS }),
      await t.request('PATCH', `/v1/workflows/${workflowId}`, { key: org.live, body: { name: 'x' } }),
      await t.request('PUT', `/v1/workflows/${workflowId}`, { key: org.live, body: {} }), // 405 had it been valid
      await t.request('GET', '/v1/nothing-here', { key: org.live }), // 404 had it been valid
    ]
    const expected = headersOf(unknown)
    for (const res of refused) {
      const body = await expectError(res, 401, 'unauthorized')
      expect(headersOf(res)).toStrictEqual(expected) // no ETag, Location, Allow or RateLimit-*
      expect(body.error).toBe((await readJson(unknown.clone())).error)
    }
  })

  it('writes nothing: no create, no change, no archive', async () => {
    const witness = await t.newOrg('Witness')
    // The workflow is read through the store: the revoked key can no longer read it over HTTP.
    const before = await t.deps.store.getWorkflow(org.id, workflowId)
    await expectError(await t.request('POST', '/v1/workflows', { key: org.live, body: FIVE_STEPS }), 401, 'unauthorized')
    await expectError(
      await t.request('POST', '/v1/workflows', { key: org.live, body: FIVE_STEPS, headers: { 'idempotency-key': 'k1' } }),
      401,
      'unauthorized',
    )
    await expectError(await t.request('PATCH', `/v1/workflows/${workflowId}`, { key: org.live, body: { name: 'x' } }), 401, 'unauthorized')
    await expectError(await t.request('DELETE', `/v1/workflows/${workflowId}`, { key: org.live }), 401, 'unauthorized')
    expect(await t.deps.store.getWorkflow(org.id, workflowId)).toStrictEqual(before)
    expect(await t.deps.store.listWorkflows(org.id, { limit: 100 })).toHaveLength(1)
    expect(await countWorkflows(witness.live)).toBe(0)
  })

  it('is forgotten, so a later request reads the key again and is still refused', async () => {
    const remembered = () => (t.deps.keys as KeyIdentities).size
    const before = remembered()
    expect(before).toBeGreaterThan(0)
    await expectError(await t.request('GET', '/v1/workflows', { key: org.live }), 401, 'unauthorized')
    expect(remembered()).toBe(before - 1)
    await expectError(await t.request('GET', '/v1/workflows', { key: org.live }), 401, 'unauthorized')
    expect(remembered()).toBe(before - 1)
  })
})

describe('a rate-limit decision that arrives after the route started', () => {
  let limiter: DeferredLimiter
  beforeEach(() => {
    limiter = new DeferredLimiter()
    t.deps.rateLimiter = limiter
  })

  it('puts the RateLimit-* headers on the admitted answer, errors included', async () => {
    const created = await t.request('POST', '/v1/workflows', { key: org.live, body: FIVE_STEPS })
    expect(created.status).toBe(201)
    expect(expectRateLimitHeaders(created)).toStrictEqual({ limit: 5, remaining: 4, reset: 1 })
    const missing = await t.request('GET', '/v1/workflows/wf_01M8K0000000000000000000XX', { key: org.live })
    await expectError(missing, 404, 'not_found')
    expect(expectRateLimitHeaders(missing)).toStrictEqual({ limit: 5, remaining: 4, reset: 1 })
  })

  it('refuses with 429 and writes nothing, for a key just read and for a remembered one', async () => {
    const workflow = await createWorkflow(t, other.live) // remembered from here on
    limiter.refusing = true
    for (const key of [org.live, other.live]) {
      const res = await t.request('POST', '/v1/workflows', { key, body: FIVE_STEPS })
      await expectError(res, 429, 'rate_limited')
      expect(res.headers.get('retry-after')).toBe('1')
      expect(res.headers.get('location')).toBeNull()
    }
    await expectError(
      await t.request('PATCH', `/v1/workflows/${workflow.id}`, { key: other.live, body: { name: 'x' } }),
      429,
      'rate_limited',
    )
    limiter.refusing = false
    expect(await countWorkflows(org.live)).toBe(0)
    expect(await countWorkflows(other.live)).toBe(1)
    expect((await getWorkflow(t, other.live, workflow.id)).name).toBe(workflow.name)
  })

  it('answers 401, not 429, for a revoked key whose bucket is empty', async () => {
    await createWorkflow(t, org.live)
    await revokeApiKey(t.deps, org.liveKeyId)
    limiter.refusing = true
    await expectError(await t.request('GET', '/v1/workflows', { key: org.live }), 401, 'unauthorized')
  })
})

describe("the Node server's admission: keys read on every request, admitted before the route", () => {
  beforeEach(() => {
    t.deps.keys = readKeyEachTime
    t.deps.admission = 'sequential'
  })

  it('admits before the route starts: a refused request never reaches the store', async () => {
    const limiter = new DeferredLimiter()
    t.deps.rateLimiter = limiter
    const workflow = await createWorkflow(t, org.live)
    limiter.refusing = true
    const reads: string[] = []
    const store = t.deps.store
    const getWorkflowJson: typeof store.getWorkflowJson = (o, id) => {
      reads.push(id)
      return store.getWorkflowJson(o, id)
    }
    t.deps.store = { ...store, getWorkflowJson }
    await expectError(await t.request('GET', `/v1/workflows/${workflow.id}`, { key: org.live }), 429, 'rate_limited')
    await expectError(await t.request('POST', '/v1/workflows', { key: org.live, body: FIVE_STEPS }), 429, 'rate_limited')
    expect(reads).toStrictEqual([])
    limiter.refusing = false
    const admitted = await t.request('GET', `/v1/workflows/${workflow.id}`, { key: org.live })
    expect(admitted.status).toBe(200)
    expect(expectRateLimitHeaders(admitted)).toStrictEqual({ limit: 5, remaining: 4, reset: 1 })
    expect(reads).toStrictEqual([workflow.id])
    expect(await countWorkflows(org.live)).toBe(1)
  })

  it('refuses a revoked key at its next request and writes nothing', async () => {
    const workflow = await createWorkflow(t, org.live)
    await revokeApiKey(t.deps, org.liveKeyId)
    await expectError(await t.request('GET', `/v1/workflows/${workflow.id}`, { key: org.live }), 401, 'unauthorized')
    await expectError(await t.request('POST', '/v1/workflows', { key: org.live, body: FIVE_STEPS }), 401, 'unauthorized')
    expect(await t.deps.store.listWorkflows(org.id, { limit: 100 })).toHaveLength(1)
  })
})

describe('a remembered key with an in-process limiter', () => {
  it('answers 401, not 429, for a remembered key revoked and out of tokens', async () => {
    const tight = createTestApi({ rateLimit: { rps: 0.001, burst: 1 } })
    try {
      const o = await tight.newOrg()
      await createWorkflow(tight, o.live) // takes the one token, and remembers the key
      await expectError(await tight.request('GET', '/v1/workflows', { key: o.live }), 429, 'rate_limited')
      await revokeApiKey(tight.deps, o.liveKeyId)
      await expectError(await tight.request('GET', '/v1/workflows', { key: o.live }), 401, 'unauthorized')
    } finally {
      tight.close()
    }
  })
})
