import { seed } from './seed.mjs'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { benchCases, load } from './cases.mjs'
import { SERVER_MAIN, serverEnv, startOnCore0, stop } from './processes.mjs'
const dir = mkdtempSync(join(tmpdir(), 'r-'))
const db = join(dir, 'x.sqlite')
const orgs = await seed(db, { big: 100000, small: 1000 })
const server = await startOnCore0(SERVER_MAIN, serverEnv(db))
const cases = benchCases({ server, orgs })
for (const name of process.argv.slice(2)) {
  const sat = await load(name, cases[name], 4)
  for (const frac of [0.5, 0.7]) {
    const rate = Math.floor(sat.requests.average * frac)
    const r = await load(name, cases[name], 4, { overallRate: rate })
    console.log(name, 'sat', Math.round(sat.requests.average), 'p99', sat.latency.p99, '| at', frac, rate, '/s: got', Math.round(r.requests.average), 'p50', r.latency.p50, 'p90', r.latency.p90, 'p99', r.latency.p99, 'max', r.latency.max)
  }
}
await stop(server.child)
