/**
 * The server's housekeeping timer: purges expired idempotency records (@wf/domain's verb, bounded
 * work per run) once at start and then every `everyMs`; sooner (`soonMs`) while a run ends with
 * expired rows left, so a backlog is worked off in bounded steps instead of one long delete. With
 * several replicas each runs its own timer; the deletes skip rows another replica is deleting.
 */
import type { Logger } from '@wf/api'
import { type Clock, DEFAULT_PURGE_LIMITS, type PurgeLimits, purgeExpiredIdempotencyRecords } from '@wf/domain'
import type { Store } from '@wf/storage'

export interface HousekeepingOptions {
  store: Pick<Store, 'purgeIdempotencyRecords'>
  clock: Clock
  logger: Logger
  everyMs?: number
  soonMs?: number
  limits?: PurgeLimits
}

export const PURGE_EVERY_MS = 10 * 60_000
export const PURGE_SOON_MS = 1_000

export function startHousekeeping({
  store,
  clock,
  logger,
  everyMs = PURGE_EVERY_MS,
  soonMs = PURGE_SOON_MS,
  limits = DEFAULT_PURGE_LIMITS,
}: HousekeepingOptions): { stop(): Promise<void> } {
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<void> | undefined
  let stopped = false

  const run = async () => {
    let next = everyMs
    try {
      const { deleted, more } = await purgeExpiredIdempotencyRecords({ store, clock }, limits)
      if (deleted > 0) logger.info({ msg: 'idempotency records purged', deleted, more })
      if (more) next = soonMs
    } catch (error) {
      // The database may be restarting: try again at the next interval, never crash the server.
      logger.error({ msg: 'idempotency purge failed; retrying later', error: (error as Error).message })
    }
    schedule(next)
  }
  const schedule = (ms: number) => {
    if (stopped) return
    timer = setTimeout(() => {
      running = run()
    }, ms)
    timer.unref() // housekeeping never keeps the process alive
  }
  schedule(0)

  return {
    /** Cancels the next run and waits for one in progress, so the database is not closed under it. */
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
