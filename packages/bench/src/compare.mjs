#!/usr/bin/env node
// `pnpm --filter @wf/bench compare <other checkout>` (both built): this checkout's server and
// another's (the commit before a change, say, in a git worktree) on the same data, the same cases
// in interleaved rounds, medians; so a change is judged against its own before on the same machine
// in the same minutes, not against figures of another day. On SQLite and, when it answers, on
// PostgreSQL with the Redis rate limit. Server on core 0, load on core 1; bounded in time.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { benchCases, load } from './cases.mjs'
import { boundInTime, pinned, SERVER_MAIN, serverEnv, startOnCore0, stop } from './processes.mjs'
import { seed } from './seed.mjs'
import { seedPostgres } from './seed-postgres.mjs'

const other = process.argv[2]
if (!other) {
  console.log('usage: compare <path of another checkout, built>')
  process.exit(2)
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
const CASES = ['GET /v1/workflows/{id}', 'POST /v1/workflows invalid', 'POST /v1/workflows valid']
const REDIS_URL = process.env.WF_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
boundInTime(180 + ROUNDS * SECONDS * CASES.length * 4 * 2)

const builds = { this: SERVER_MAIN, other: join(resolve(other), 'apps/server/dist/main.js') }
const dir = mkdtempSync(join(tmpdir(), 'wf-compare-'))
const servers = []
const cases = {}
for (const [build, main] of Object.entries(builds)) {
  const db = join(dir, `${build}.sqlite`)
  const orgs = await seed(db, { big: 1_000, small: 100 })
  const s = await startOnCore0(main, serverEnv(db))
  servers.push(s)
  for (const [name, c] of Object.entries(benchCases({ server: s, orgs }))) if (CASES.includes(name)) cases[`SQLite ${name} · ${build}`] = c
}
const pg = await seedPostgres({ big: 1_000, small: 100 })
if ('url' in pg) {
  for (const [build, main] of Object.entries(builds)) {
    const s = await startOnCore0(main, { ...serverEnv(''), WF_DB_PATH: '', WF_DATABASE_URL: pg.url, WF_REDIS_URL: REDIS_URL })
    servers.push(s)
    for (const [name, c] of Object.entries(benchCases({ server: s, orgs: pg.orgs })))
      if (CASES.includes(name)) cases[`PG ${name} · ${build}`] = c
  }
} else console.log(`PostgreSQL part skipped: ${pg.skipped}`)

for (const name of Object.keys(cases)) await load(name, cases[name], 1) // warm-up
const rates = Object.fromEntries(Object.keys(cases).map((n) => [n, []]))
for (let round = 0; round < ROUNDS; round++) {
  // Each round in another order, so neither build always runs first.
  const names = Object.keys(cases)
  for (const name of round % 2 ? names.reverse() : names) rates[name].push((await load(name, cases[name], SECONDS)).requests.average)
}
for (const s of servers) await stop(s.child)
if ('url' in pg) await pg.drop()
rmSync(dir, { recursive: true, force: true })

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
console.log(
  `this checkout vs ${other}; ${pinned ? 'server on core 0, load on core 1' : 'not pinned'}; ${SECONDS} s × ${ROUNDS} rounds, medians`,
)
const rows = []
for (const name of Object.keys(cases).filter((n) => n.endsWith('· this'))) {
  const path = name.replace(/ · this$/, '')
  const mine = median(rates[name])
  const theirs = median(rates[`${path} · other`])
  rows.push({
    case: path,
    'this req/s': Math.round(mine),
    'other req/s': Math.round(theirs),
    'this / other': `${Math.round((100 * mine) / theirs)} %`,
  })
}
console.table(rows)
process.exit(0)
