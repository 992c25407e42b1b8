#!/usr/bin/env node
// `pnpm bench` (issue 6): the real Node server beside a bare Hono app, in one run, same
// connections and duration, interleaved rounds, medians; then p99 at a fixed 70 % of each path's
// maximum, the server's peak RSS, and cold start. Servers on core 0, this load generator on core 1.
// With PostgreSQL reachable (WF_TEST_DATABASE_URL, and Redis at WF_TEST_REDIS_URL), the same paths
// on the server over PostgreSQL, one replica and two, in the same interleaved rounds (BENCH_PG=0
// leaves them out). Loopback only; every phase is bounded in time.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchCases, CONNECTIONS, captureShapes, load } from './cases.mjs'
import { boundInTime, onCore0, pinned, SERVER_MAIN, serverEnv, startOnCore0 } from './processes.mjs'
import { seed } from './seed.mjs'
import { seedPostgres } from './seed-postgres.mjs'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
const BASELINE = fileURLToPath(new URL('./baseline.mjs', import.meta.url))
const BOUNDS = fileURLToPath(new URL('./bounds.mjs', import.meta.url))
const BOUNDS_PG = fileURLToPath(new URL('./bounds-postgres.mjs', import.meta.url))
const WITH_PG = process.env.BENCH_PG !== '0'
const REDIS_URL = process.env.WF_TEST_REDIS_URL || 'redis://127.0.0.1:6379'
boundInTime(180 + ROUNDS * (WITH_PG ? 17 : 8) * SECONDS * 1.5 + 17 * SECONDS)

const dir = mkdtempSync(join(tmpdir(), 'wf-bench-'))

// Cold start: process start to /health answering, on a fresh database (migrations included).
const cold = []
for (let i = 0; i < 3; i++) {
  const s = await startOnCore0(SERVER_MAIN, serverEnv(join(dir, `cold-${i}.sqlite`)))
  cold.push(s.coldMs)
  s.child.kill('SIGTERM')
}

console.log('seeding 100,000 + 1,000 workflows …')
const db = join(dir, 'bench.sqlite')
const orgs = await seed(db, { big: 100_000, small: 1_000 })
const server = await startOnCore0(SERVER_MAIN, serverEnv(db))
const baseline = await startOnCore0(BASELINE, { BASELINE_SHAPES: JSON.stringify(await captureShapes(server, orgs)) })
const cases = benchCases({ baseline, server, orgs })

// PostgreSQL: the same database for every configuration, so they differ only in what is named.
const pg = WITH_PG ? await seedPostgres({ big: 100_000, small: 1_000 }) : { skipped: 'BENCH_PG=0' }
const pgServers = []
if ('url' in pg) {
  const limits = { WF_RATE_LIMIT_RPS: '1000000000', WF_RATE_LIMIT_BURST: '1000000000' }
  const pgEnv = (store) => ({ WF_DATABASE_URL: pg.url, WF_REDIS_URL: REDIS_URL, WF_RATE_LIMIT_STORE: store, ...limits })
  const start = async (store) => {
    const s = await startOnCore0(SERVER_MAIN, pgEnv(store))
    pgServers.push(s)
    return s
  }
  const one = await start('redis')
  const [a, b] = await Promise.all([start('redis'), start('redis')])
  const memory = await start('memory')
  const pgLimiter = await start('postgres')
  const onPg = benchCases({ server: one, orgs: pg.orgs })
  for (const [name, c] of Object.entries(onPg)) cases[`PG ${name}`] = c
  // Two replicas: autocannon spreads the connections over both URLs (5 each).
  const onTwo = benchCases({ server: { url: 'REPLICA' }, orgs: pg.orgs })
  for (const name of ['GET /v1/workflows/{id}', 'POST /v1/workflows valid']) {
    const c = onTwo[name]
    cases[`PG ×2 ${name}`] = { ...c, url: [a.url, b.url].map((u) => c.url.replace('REPLICA', u)) }
  }
  // What the shared rate limit costs a request: the same GET with per-process buckets, and with
  // the buckets in PostgreSQL instead of Redis.
  const get = (s) => benchCases({ server: s, orgs: pg.orgs })['GET /v1/workflows/{id}']
  cases['PG GET, limit in memory'] = get(memory)
  cases['PG GET, limit in PostgreSQL'] = get(pgLimiter)
} else {
  console.log(`PostgreSQL part skipped: ${pg.skipped}`)
}
const run = (name, extra) => load(name, cases[name], SECONDS, extra)

for (const name of Object.keys(cases)) await run(name, { duration: 1 }) // warm-up
const samples = Object.fromEntries(Object.keys(cases).map((n) => [n, []]))
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(cases)
  const order = names.slice(round % names.length).concat(names.slice(0, round % names.length))
  for (const name of order) {
    const r = await run(name)
    samples[name].push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 })
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
// p99 judged at a fixed rate, 70 % of each path's measured maximum (never at saturation).
const fixed = {}
for (const name of Object.keys(cases)) {
  const rate = Math.max(1, Math.floor(0.7 * median(samples[name].map((s) => s.rps))))
  const r = await run(name, { overallRate: rate })
  fixed[name] = { rate, p99: r.latency.p99 }
}
const peakRssMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))[1]) / 1024
for (const s of pgServers) s.child.kill('SIGTERM')

// What bounds each path: its store calls (and validation) alone, on the server's core.
server.child.kill('SIGTERM')
const boundsRun = spawnSync(...onCore0(BOUNDS, [JSON.stringify({ db, orgs, dir })]), { encoding: 'utf8', timeout: 60_000 })
if (boundsRun.status !== 0) throw new Error(`bounds.mjs failed: ${boundsRun.stderr}`)
const bounds = JSON.parse(boundsRun.stdout)
const boundOf = {
  'GET /v1/workflows/{id}': [bounds.get],
  'POST /v1/workflows valid': [bounds.createOnePerCommit, bounds.createTenPerCommit],
  'POST /v1/workflows invalid': [bounds.validateInvalid],
  'GET /v1/workflows?limit=50 (100k)': [bounds.list],
}
if ('url' in pg) {
  const run = spawnSync(...onCore0(BOUNDS_PG, [JSON.stringify({ url: pg.url, orgs: pg.orgs })]), { encoding: 'utf8', timeout: 120_000 })
  if (run.status !== 0) throw new Error(`bounds-postgres.mjs failed: ${run.stderr}`)
  const onPg = JSON.parse(run.stdout)
  Object.assign(boundOf, {
    'PG GET /v1/workflows/{id}': [onPg.getOneAtATime, onPg.get],
    'PG POST /v1/workflows valid': [onPg.createOneAtATime, onPg.create],
    'PG POST /v1/workflows invalid': [bounds.validateInvalid],
    'PG GET /v1/workflows?limit=50 (100k)': [onPg.list],
  })
}

const base = median(samples['bare Hono GET (baseline)'].map((s) => s.rps))
const pct = (rps) => `${((rps / base) * 100).toFixed(0)} %`
console.log(
  `\nnode ${process.version}; ${pinned ? 'servers on core 0, load on core 1' : 'not pinned'}; ${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} interleaved rounds, medians`,
)
console.table(
  Object.entries(samples).map(([name, xs]) => {
    const rps = median(xs.map((s) => s.rps))
    return {
      case: name,
      'req/s': Math.round(rps),
      'p50 ms': median(xs.map((s) => s.p50)),
      'p99 ms (saturated)': median(xs.map((s) => s.p99)),
      'p99 ms @70 %': fixed[name].p99,
      'vs baseline': pct(rps),
      'bound alone': boundOf[name]?.map((b) => `${Math.round(b)}/s = ${pct(b)}`).join(' · ') ?? '',
    }
  }),
)
console.log(
  'bound alone: the store calls of one request (and validation) in a loop on core 0, no HTTP; POST valid: one create per commit · ten per commit (group commit); PG: one at a time · ten at once on a pool of ten',
)
if (!('url' in pg)) console.log(`PostgreSQL part skipped: ${pg.skipped}`)
console.log(`server peak RSS: ${peakRssMb.toFixed(1)} MB; cold start to /health (median of 3): ${median(cold).toFixed(0)} ms`)

rmSync(dir, { recursive: true, force: true })
if ('drop' in pg) await pg.drop()
process.exit(0)
