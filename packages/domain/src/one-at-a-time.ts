/** Runs tasks of one key one after another; see `oneAtATime`. */
export type KeyedQueue = <T>(key: string, task: () => Promise<T>) => Promise<T>

/**
 * Runs the tasks given one key one after another, in arrival order; other keys are not held up.
 * Changes to one workflow queue here instead of racing each other: every lost race costs a re-read
 * and a random pause, and with ten writers on one workflow those pauses made the p99 (BENCHMARKS.md,
 * issue 6). This holds within one process or isolate; across them, the store's conditional write
 * still decides, and the retry loop in the verb still handles the loser. Each app makes its own.
 */
export function oneAtATime(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>()
  return (key, task) => {
    // The next task runs whether the previous one succeeded or failed.
    const result = (tails.get(key) ?? Promise.resolve()).then(task, task)
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    tails.set(key, tail)
    // Forget the key once nothing is queued behind this task: the map stays as small as the load.
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key)
    })
    return result
  }
}
