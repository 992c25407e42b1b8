import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { IDEMPOTENCY_WINDOW_MS } from '../workflows/create.js'
import { purgeExpiredIdempotencyRecords } from './purge-idempotency.js'

/** A store holding only record times, deleting oldest first as the real engines do. */
function fakeStore(times: number[]) {
  const rows = [...times].sort((a, b) => a - b)
  const calls: Array<{ before: string; limit: number }> = []
  return {
    rows,
    calls,
    purgeIdempotencyRecords: async (before: string, limit: number) => {
      calls.push({ before, limit })
      const cutoff = Date.parse(before)
      let n = 0
      while (n < limit && rows.length > 0 && rows[0]! < cutoff) {
        rows.shift()
        n++
      }
      return n
    },
  }
}

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0)
const clock = { now: () => new Date(NOW) }

describe('purgeExpiredIdempotencyRecords', () => {
  it('cuts off at exactly 24 hours before now: the create verb would still replay anything newer', async () => {
    const store = fakeStore([NOW - IDEMPOTENCY_WINDOW_MS - 1, NOW - IDEMPOTENCY_WINDOW_MS, NOW - 1])
    const outcome = await purgeExpiredIdempotencyRecords({ store, clock })
    expect(store.calls[0]!.before).toBe(new Date(NOW - IDEMPOTENCY_WINDOW_MS).toISOString())
    expect(outcome).toStrictEqual({ deleted: 1, more: false })
    expect(store.rows).toStrictEqual([NOW - IDEMPOTENCY_WINDOW_MS, NOW - 1])
  })

  it('does at most maxBatches deletes of batchSize, and says when expired rows remain', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(60),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        async (expired, batchSize, maxBatches) => {
          const store = fakeStore([...Array.from({ length: expired }, (_, i) => NOW - IDEMPOTENCY_WINDOW_MS - 1 - i), NOW])
          const outcome = await purgeExpiredIdempotencyRecords({ store, clock }, { batchSize, maxBatches })
          expect(store.calls.length).toBeLessThanOrEqual(maxBatches)
          expect(store.calls.every((c) => c.limit === batchSize)).toBe(true)
          expect(outcome.deleted).toBe(Math.min(expired, batchSize * maxBatches))
          // `more` is true exactly when the run stopped on a full batch: rows may remain.
          expect(outcome.more).toBe(expired >= batchSize * maxBatches)
          expect(store.rows.length).toBe(1 + expired - outcome.deleted)
        },
      ),
    )
  })
})
