/**
 * Purging idempotency records: only those created before the cutoff, a bounded batch per call,
 * oldest first; and, run regularly, it keeps the table at about one window of records.
 *
 * A purge deletes across organizations, so each test here keeps to an era of its own, years
 * before every other contract test's timestamps (`at()`, in 2026): its purges never reach another
 * test's rows. It first empties everything before the end of its era (rows an earlier test or run
 * left on a shared database), so the counts it sees are its own.
 */
import { describe, expect, it } from 'vitest'
import type { Organization, Store } from '../types.js'
import { newIdempotencyRecord, newOrganization, newWorkflow } from './fixtures.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** The timestamps of one test's era: `time(ms)` is `ms` after its start, an ISO string. */
function era(year: number) {
  const start = Date.UTC(year, 0, 1)
  return {
    time: (ms: number) => new Date(start + ms).toISOString(),
    /** After every timestamp the test uses. */
    end: new Date(Date.UTC(year + 1, 0, 1)).toISOString(),
  }
}

export function purgeTests(store: () => Store): void {
  /** Stores an idempotency record (with its workflow, the only way one is written). */
  async function record(org: Organization, key: string, createdAt: string): Promise<void> {
    const result = await store().insertWorkflow(newWorkflow(org.id), {
      record: newIdempotencyRecord(org.id, key, createdAt),
      expiredBefore: createdAt,
    })
    expect(result).toStrictEqual({ ok: true })
  }
  const exists = async (org: Organization, key: string) =>
    (await store().findIdempotencyRecord(org.id, key, '1970-01-01T00:00:00.000Z')) !== undefined

  /** Purges everything before `end`, in batches: what earlier tests or runs left there. */
  async function emptyBefore(end: string): Promise<void> {
    for (let batch = 0; batch < 100; batch++) {
      if ((await store().purgeIdempotencyRecords(end, 1_000)) === 0) return
    }
    throw new Error(`records before ${end} remain after many purges`)
  }

  describe('purging idempotency records', () => {
    it('deletes only records created before `before`: one created at `before` stays', async () => {
      const { time, end } = era(2001)
      await emptyBefore(end)
      const org = await newOrganization(store())
      const cutoff = 10 * MINUTE
      await record(org, 'just-before', time(cutoff - 1))
      await record(org, 'at', time(cutoff))
      await record(org, 'just-after', time(cutoff + 1))
      expect(await store().purgeIdempotencyRecords(time(cutoff), 10)).toBe(1)
      expect(await exists(org, 'just-before')).toBe(false)
      expect(await exists(org, 'at')).toBe(true)
      expect(await exists(org, 'just-after')).toBe(true)
    })

    it('deletes at most `limit` a call, oldest first, and says how many', async () => {
      const { time, end } = era(2002)
      await emptyBefore(end)
      const [a, b] = [await newOrganization(store()), await newOrganization(store())]
      // Written out of order, in two organizations: "oldest" is by created_at alone.
      for (const minute of [3, 1, 4, 0, 2]) await record(minute % 2 ? a : b, `m${minute}`, time(minute * MINUTE))
      const remaining = async () => {
        const left: number[] = []
        for (const minute of [0, 1, 2, 3, 4]) if (await exists(minute % 2 ? a : b, `m${minute}`)) left.push(minute)
        return left
      }
      expect(await store().purgeIdempotencyRecords(end, 2)).toBe(2)
      expect(await remaining()).toStrictEqual([2, 3, 4])
      expect(await store().purgeIdempotencyRecords(end, 2)).toBe(2)
      expect(await remaining()).toStrictEqual([4])
      expect(await store().purgeIdempotencyRecords(end, 2)).toBe(1)
      expect(await store().purgeIdempotencyRecords(end, 2)).toBe(0)
      expect(await remaining()).toStrictEqual([])
    })

    it('returns 0 when no record is due, and deletes nothing with a limit of 0', async () => {
      const { time, end } = era(2003)
      await emptyBefore(end)
      expect(await store().purgeIdempotencyRecords(end, 10)).toBe(0)
      const org = await newOrganization(store())
      await record(org, 'k', time(0))
      expect(await store().purgeIdempotencyRecords(end, 0)).toBe(0)
      expect(await exists(org, 'k')).toBe(true)
      expect(await store().purgeIdempotencyRecords(time(0), 10)).toBe(0)
      expect(await exists(org, 'k')).toBe(true)
    })

    it('frees a purged key for use again', async () => {
      const { time, end } = era(2004)
      await emptyBefore(end)
      const org = await newOrganization(store())
      await record(org, 'k', time(0))
      // A record created at time(0) is live for this request (expiredBefore is not after it)…
      const retry = () =>
        store().insertWorkflow(newWorkflow(org.id), {
          record: newIdempotencyRecord(org.id, 'k', time(MINUTE)),
          expiredBefore: time(0),
        })
      expect(await retry()).toStrictEqual({ ok: false, reason: 'idempotency_key_taken' })
      // …until it is purged.
      expect(await store().purgeIdempotencyRecords(time(MINUTE), 10)).toBe(1)
      expect(await retry()).toStrictEqual({ ok: true })
      expect(await store().findIdempotencyRecord(org.id, 'k', time(0))).toStrictEqual(newIdempotencyRecord(org.id, 'k', time(MINUTE)))
    })

    it('keeps the table bounded: purged every hour, it never holds more than a day and an hour of records', async () => {
      const { time, end } = era(2005)
      await emptyBefore(end)
      const org = await newOrganization(store())
      const window = 24 * HOUR
      const perHour = 3
      const days = 2
      // A batch smaller than an hour's records: each purge takes several calls, as the app's does.
      const batch = 2
      const created: { key: string; at: number }[] = []
      let live = 0
      for (let hour = 0; hour < days * 24; hour++) {
        for (let i = 0; i < perHour; i++) {
          const at = hour * HOUR + (i * HOUR) / perHour
          const key = `h${hour}-${i}`
          await record(org, key, time(at))
          created.push({ key, at })
          live++
        }
        expect(live).toBeLessThanOrEqual(((window + HOUR) / HOUR) * perHour)
        // The hourly purge, at the end of the hour: everything older than the window goes.
        const cutoff = time((hour + 1) * HOUR - window)
        for (let deleted = batch; deleted === batch; ) {
          deleted = await store().purgeIdempotencyRecords(cutoff, batch)
          expect(deleted).toBeLessThanOrEqual(batch)
          live -= deleted
        }
        // Exactly the last day's records (or all, in the first day) are left.
        expect(live).toBe(Math.min(hour + 1, window / HOUR) * perHour)
      }
      const now = days * 24 * HOUR
      for (const { key, at } of created) expect(await exists(org, key), key).toBe(at >= now - window)
    })
  })
}
