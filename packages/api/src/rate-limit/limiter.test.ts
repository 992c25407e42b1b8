/**
 * Per-key token buckets (contract §6, §8 "Rate-limit headers"): RateLimit-Limit is the burst,
 * RateLimit-Remaining the whole tokens left, RateLimit-Reset the whole seconds until the bucket is
 * full again, Retry-After (on a 429) whole seconds and at least 1. First the pure arithmetic, then
 * through the app.
 */
import { describe, expect, it } from 'vitest'
import { createTestApi } from '../test-support/harness.js'
import { expectError, expectRateLimitHeaders } from '../test-support/helpers.js'
import { type BucketState, InMemoryRateLimiter, type RateDecision, type RateLimitConfig, takeToken } from './limiter.js'

/** Takes one token at each of the given instants (ms) from a fresh bucket; returns the decisions. */
function takeAt(config: RateLimitConfig, instants: number[]): RateDecision[] {
  let state: BucketState | undefined
  return instants.map((now) => {
    const result = takeToken(state, now, config)
    state = result.state
    return result.decision
  })
}

const brief = (d: RateDecision) => [d.allowed, d.remaining, d.resetSeconds, d.retryAfterSeconds]

describe('takeToken', () => {
  // A fresh bucket is full: `burst` requests pass at once, the next is refused.
  it('lets a burst through at once and refuses the next', () => {
    const decisions = takeAt({ rps: 1, burst: 3 }, [0, 0, 0, 0, 0])
    expect(decisions.map(brief)).toEqual([
      // allowed, remaining, reset (s to full), retry-after
      [true, 2, 1, 0],
      [true, 1, 2, 0],
      [true, 0, 3, 0],
      [false, 0, 3, 1],
      [false, 0, 3, 1],
    ])
    for (const d of decisions) expect(d.limit).toBe(3)
  })

  // Tokens come back at rps per second; a refused request does not take one.
  it.each([
    [999, false],
    [1000, true],
  ])('refills one token per second at rps 1: after the burst, %i ms later allowed=%s', (later, allowed) => {
    const [, , , last] = takeAt({ rps: 1, burst: 3 }, [0, 0, 0, later])
    expect(last?.allowed).toBe(allowed)
  })

  // Replicas' clocks differ a little: a take stamped by the one behind must not let the next take
  // refill the same interval again (with the stamp moved back, this bucket would be full again).
  it('never moves the stamp back: a take from a clock that is behind refills nothing twice', () => {
    const config = { rps: 1, burst: 3 }
    let { state } = takeToken(undefined, 10_000, config)
    for (let i = 0; i < 2; i++) state = takeToken(state, 10_000, config).state
    expect(state).toStrictEqual({ tokens: 0, updatedMs: 10_000 })
    const behind = takeToken(state, 8_000, config) // 2 s behind: no refill, refused, stamp kept
    expect(behind.decision.allowed).toBe(false)
    expect(behind.state).toStrictEqual({ tokens: 0, updatedMs: 10_000 })
    const next = takeToken(behind.state, 10_500, config) // half a second after the last real stamp
    expect(next.decision.allowed).toBe(false)
    expect(next.state.tokens).toBe(0.5)
  })

  it('refills in proportion to the time passed, never beyond the burst', () => {
    const config = { rps: 10, burst: 5 }
    let { state } = takeToken(undefined, 0, config)
    for (let i = 0; i < 4; i++) state = takeToken(state, 0, config).state
    expect(state.tokens).toBe(0)
    const later = takeToken(state, 250, config) // +2.5 tokens, then one taken
    expect(later.decision).toMatchObject({ allowed: true, remaining: 1 })
    expect(later.state.tokens).toBeCloseTo(1.5)
    const muchLater = takeToken(later.state, 3_600_000, config)
    expect(muchLater.decision).toMatchObject({ allowed: true, remaining: 4, resetSeconds: 1 })
    expect(muchLater.state.tokens).toBe(4)
  })

  // Remaining counts whole tokens only.
  it.each([
    [0, 0],
    [0.99, 0],
    [1, 1],
    [2.7, 2],
  ])('reports %d tokens left as Remaining %d', (tokens, remaining) => {
    // Give the bucket tokens + 1 so that taking one leaves `tokens`.
    const { decision } = takeToken({ tokens: tokens + 1, updatedMs: 0 }, 0, { rps: 1, burst: 10 })
    expect(decision.remaining).toBe(remaining)
  })

  // Reset: whole seconds until the bucket is full again, rounded up.
  it.each([
    [{ rps: 1, burst: 3 }, 2, 1],
    [{ rps: 1, burst: 3 }, 0, 3],
    [{ rps: 2, burst: 3 }, 0, 2],
    [{ rps: 10, burst: 35 }, 0, 4],
    [{ rps: 25, burst: 35 }, 34, 1],
    [{ rps: 1, burst: 3 }, 2.5, 1],
  ] as const)('with %o and %d tokens left, Reset is %d', (config, tokensAfter, reset) => {
    const { decision } = takeToken({ tokens: tokensAfter + 1, updatedMs: 0 }, 0, config)
    expect(decision.resetSeconds).toBe(reset)
  })

  // Retry-After: whole seconds, at least 1, even when a token is only milliseconds away.
  it.each([
    [{ rps: 1, burst: 1 }, 0, 1],
    [{ rps: 1, burst: 1 }, 0.999, 1],
    [{ rps: 100, burst: 5 }, 0, 1],
    [{ rps: 0.5, burst: 1 }, 0, 2],
    [{ rps: 0.25, burst: 1 }, 0.5, 2],
  ] as const)('with %o and %d tokens, a refusal has Retry-After %d', (config, tokens, retryAfter) => {
    const { decision, state } = takeToken({ tokens, updatedMs: 0 }, 0, config)
    expect(decision.allowed).toBe(false)
    expect(decision.retryAfterSeconds).toBe(retryAfter)
    expect(decision.retryAfterSeconds).toBeGreaterThanOrEqual(1)
    expect(state.tokens).toBe(tokens)
  })

  it('does not refill when the clock goes backwards', () => {
    const { state } = takeToken({ tokens: 0, updatedMs: 10_000 }, 5_000, { rps: 1, burst: 3 })
    expect(state.tokens).toBe(0)
  })
})

describe('InMemoryRateLimiter', () => {
  it('keeps one bucket per key', () => {
    const limiter = new InMemoryRateLimiter({ rps: 1, burst: 1 })
    expect(limiter.take('a', 0).allowed).toBe(true)
    expect(limiter.take('a', 0).allowed).toBe(false)
    expect(limiter.take('b', 0).allowed).toBe(true)
    expect(limiter.take('a', 1000).allowed).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------
describe('rate limits through the app: the refill, on the test clock (§6; the rest over HTTP in packages/conformance/src/rate-limit.test.ts)', () => {
  it('refuses the 4th request in the same instant with 429, then lets one through after a second', async () => {
    const t = createTestApi({ rateLimit: { rps: 1, burst: 3 } })
    try {
      const org = await t.newOrg()
      const remaining: number[] = []
      for (let i = 0; i < 3; i++) {
        const res = await t.request('GET', '/v1/workflows', { key: org.live })
        expect(res.status).toBe(200)
        const headers = expectRateLimitHeaders(res)
        expect(headers.limit).toBe(3)
        remaining.push(headers.remaining)
      }
      expect(remaining).toEqual([2, 1, 0])

      const refused = await t.request('GET', '/v1/workflows', { key: org.live })
      const error = await expectError(refused, 429, 'rate_limited')
      expect(error.error).toBe('Rate limit exceeded.')
      expect(expectRateLimitHeaders(refused)).toEqual({ limit: 3, remaining: 0, reset: 3 })
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)

      t.advance(1000)
      const next = await t.request('GET', '/v1/workflows', { key: org.live })
      expect(next.status).toBe(200)
      expect(expectRateLimitHeaders(next).remaining).toBe(0)
      await expectError(await t.request('GET', '/v1/workflows', { key: org.live }), 429, 'rate_limited')
    } finally {
      t.close()
    }
  })
})
