/**
 * Purges idempotency records past their 24 hours (contract §4: a key is remembered that long).
 * Without it the records are only replaced when a key is reused, and the table grows without
 * bound. Each run does bounded work — at most `maxBatches` deletes of `batchSize` rows, oldest
 * first — so it never holds the database for long; `more` tells the caller that rows past the
 * window remain and the next run should come soon. Both apps schedule it (the Node server on a
 * timer, the edge app on a Cron Trigger); with several replicas each may run it, which is safe:
 * a record is deleted once whoever deletes it.
 */

import type { Store } from '@wf/storage'
import type { Clock } from '../context.js'
import { IDEMPOTENCY_WINDOW_MS } from '../workflows/create.js'

export interface PurgeLimits {
  /** Rows per delete statement. */
  batchSize: number
  /** Deletes per run. */
  maxBatches: number
}

export const DEFAULT_PURGE_LIMITS: PurgeLimits = { batchSize: 1_000, maxBatches: 10 }

export interface PurgeOutcome {
  deleted: number
  /** The last batch was full: expired rows may remain for the next run. */
  more: boolean
}

export async function purgeExpiredIdempotencyRecords(
  ctx: { store: Pick<Store, 'purgeIdempotencyRecords'>; clock: Clock },
  { batchSize, maxBatches }: PurgeLimits = DEFAULT_PURGE_LIMITS,
): Promise<PurgeOutcome> {
  // The same cutoff as the create verb's: a record it would still replay is never purged.
  const before = new Date(ctx.clock.now().getTime() - IDEMPOTENCY_WINDOW_MS).toISOString()
  let deleted = 0
  for (let batch = 0; batch < maxBatches; batch++) {
    const n = await ctx.store.purgeIdempotencyRecords(before, batchSize)
    deleted += n
    if (n < batchSize) return { deleted, more: false }
  }
  return { deleted, more: true }
}
