// Operations per second of an async function on this process's core: the median of three rounds
// of a fixed duration (a benchmark's measure, never a test's).
const ROUND_MS = 1500

/** @param {() => unknown} fn */
export async function opsPerSecond(fn) {
  const rates = []
  for (let round = 0; round < 3; round++) {
    let n = 0
    const started = performance.now()
    while (performance.now() - started < ROUND_MS) {
      await fn()
      n++
    }
    rates.push(n / ((performance.now() - started) / 1000))
  }
  return rates.sort((a, b) => a - b)[1]
}
