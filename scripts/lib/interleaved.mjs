// Micro-benchmark rounds shared by the packages' benches: every case once per round, for `timeMs`,
// the order rotated each round so no case always runs first (or last) on a noisy machine; each
// case's throughput per round is kept, and compared by its median. tinybench's Bench is passed in:
// it resolves from the calling package.

/** Runs the cases `rounds` times; returns each case's throughputs (operations per second), one per round. */
export async function interleavedRounds(Bench, cases, { rounds, timeMs }) {
  const names = Object.keys(cases)
  const samples = Object.fromEntries(names.map((k) => [k, []]))
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: timeMs, warmupTime: 100 })
    const order = names.slice(round % names.length).concat(names.slice(0, round % names.length))
    for (const name of order) bench.add(name, cases[name])
    await bench.run()
    for (const task of bench.tasks) samples[task.name].push(task.result.throughput.mean)
  }
  return samples
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
