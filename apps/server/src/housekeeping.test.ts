import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startHousekeeping } from './housekeeping.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const clock = { now: () => new Date(Date.UTC(2026, 10, 29)) }

function logger() {
  const lines: Array<{ level: string; entry: Record<string, unknown> }> = []
  return {
    lines,
    info: (entry: Record<string, unknown>) => lines.push({ level: 'info', entry }),
    error: (entry: Record<string, unknown>) => lines.push({ level: 'error', entry }),
  }
}

/** A store whose purge answers from a script: each call takes the next count, or throws. */
function scriptedStore(answers: Array<number | Error>) {
  const calls: Array<{ before: string; limit: number }> = []
  return {
    calls,
    purgeIdempotencyRecords: async (before: string, limit: number) => {
      calls.push({ before, limit })
      const answer = answers.shift() ?? 0
      if (answer instanceof Error) throw answer
      return answer
    },
  }
}

describe('startHousekeeping', () => {
  it('purges at start, then every interval; sooner while a run leaves expired rows behind', async () => {
    const store = scriptedStore([2, 2, 2, 1, 0])
    const log = logger()
    const h = startHousekeeping({ store, clock, logger: log, everyMs: 60_000, soonMs: 1_000, limits: { batchSize: 2, maxBatches: 2 } })
    await vi.advanceTimersByTimeAsync(0)
    expect(store.calls).toHaveLength(2) // two full batches: the run stops at maxBatches, more remain
    await vi.advanceTimersByTimeAsync(999)
    expect(store.calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(store.calls).toHaveLength(4) // the next run came after soonMs; 2 then 1: done
    await vi.advanceTimersByTimeAsync(59_999)
    expect(store.calls).toHaveLength(4)
    await vi.advanceTimersByTimeAsync(1)
    expect(store.calls).toHaveLength(5) // back to the interval
    expect(log.lines.map((l) => l.entry)).toStrictEqual([
      { msg: 'idempotency records purged', deleted: 4, more: true },
      { msg: 'idempotency records purged', deleted: 3, more: false },
    ])
    await h.stop()
  })

  it('logs a failed run without its stack and tries again at the next interval', async () => {
    const store = scriptedStore([new Error('connection terminated'), 0])
    const log = logger()
    const h = startHousekeeping({ store, clock, logger: log, everyMs: 60_000 })
    await vi.advanceTimersByTimeAsync(0)
    expect(log.lines).toStrictEqual([
      { level: 'error', entry: { msg: 'idempotency purge failed; retrying later', error: 'connection terminated' } },
    ])
    await vi.advanceTimersByTimeAsync(60_000)
    expect(store.calls).toHaveLength(2)
    await h.stop()
  })

  it('stop waits for the run in progress and cancels the next', async () => {
    let release: (n: number) => void = () => {}
    const calls: string[] = []
    const store = {
      purgeIdempotencyRecords: (before: string) => {
        calls.push(before)
        return new Promise<number>((resolve) => (release = resolve))
      },
    }
    const h = startHousekeeping({ store, clock, logger: logger(), everyMs: 1_000 })
    await vi.advanceTimersByTimeAsync(0)
    let stopped = false
    const stopping = h.stop().then(() => (stopped = true))
    await vi.advanceTimersByTimeAsync(0)
    expect(stopped).toBe(false)
    release(0)
    await stopping
    await vi.advanceTimersByTimeAsync(10_000)
    expect(calls).toHaveLength(1)
  })
})
