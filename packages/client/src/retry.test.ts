import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BACKOFF_CAP_MS, backoffMs, isRetryableStatus, parseRetryAfter, retryDelayMs } from './retry.js'

describe('isRetryableStatus', () => {
  it('retries 408, 429 and every 5xx', () => {
    for (const s of [408, 429, 500, 502, 503, 504, 599]) expect(isRetryableStatus(s), String(s)).toBe(true)
  })
  it('never retries the statuses that carry meaning', () => {
    for (const s of [400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 499]) expect(isRetryableStatus(s), String(s)).toBe(false)
  })
})

describe('backoffMs (full jitter, base 0.5 s, cap 8 s)', () => {
  it('draws from 0 up to min(8 s, 0.5 s·2^retry)', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, r) => {
        const ms = backoffMs(retry, () => r)
        const ceiling = Math.min(BACKOFF_CAP_MS, 500 * 2 ** retry)
        return ms >= 0 && ms < ceiling && Number.isInteger(ms)
      }),
    )
  })
  it('reaches the ceiling of each retry: 0.5 s, 1 s, 2 s, 4 s, then 8 s for good', () => {
    const top = () => 1 - Number.EPSILON
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, top))).toEqual([499, 999, 1999, 3999, 7999, 7999, 7999])
    expect(backoffMs(3, () => 0)).toBe(0)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-29T12:00:00.000Z')
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0)
    expect(parseRetryAfter('7', now)).toBe(7)
    expect(parseRetryAfter(' 120 ', now)).toBe(120)
  })
  it('reads an HTTP date relative to now; a past date is 0', () => {
    expect(parseRetryAfter('Sun, 29 Nov 2026 12:00:05 GMT', now)).toBe(5)
    expect(parseRetryAfter('Sun, 29 Nov 2026 11:59:00 GMT', now)).toBe(0)
  })
  it('ignores what is neither', () => {
    for (const v of [null, '', '-1', '1.5', 'soon', '1e3']) expect(parseRetryAfter(v, now), String(v)).toBeUndefined()
  })
})

describe('retryDelayMs', () => {
  it('waits what the server asked, at most 60 s', () => {
    expect(retryDelayMs(0, 3)).toBe(3000)
    expect(retryDelayMs(5, 60)).toBe(60_000)
    expect(retryDelayMs(0, 61)).toBe(60_000)
    expect(retryDelayMs(0, 3600)).toBe(60_000)
    expect(retryDelayMs(0, 0)).toBe(0)
  })
  it('falls back to the backoff when the server said nothing', () => {
    expect(retryDelayMs(2, undefined, () => 0.5)).toBe(1000)
  })
})
