#!/usr/bin/env node
// `pnpm bench:http` (issue 6): the real Node server beside a bare Hono app, in one run, same
// connections and duration, interleaved rounds, medians; then p99 at a fixed 70 % of each path's
// maximum, the server's peak RSS, and cold start. Servers on core 0, this load generator on core 1.
// Loopback only; every phase is bounded in time.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EXAMPLE_CREATE_WORKFLOW } from '@wf/core'
import autocannon from 'autocannon'
import { seed } from './seed.mjs'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const SERVER_MAIN = fileURLToPath(import.meta.resolve('@wf/server/package.json')).replace(/package\.json$/, 'dist/main.js')
const BASELINE = fileURLToPath(new URL('./baseline.mjs', import.meta.url))
const pin = spawnSync('taskset', ['-V']).status === 0
if (pin) spawnSync('taskset', ['-cp', '1', String(process.pid)])

const children = []
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')))
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(1))
setTimeout(() => (console.error('bench: over its time bound'), process.exit(1)), (120 + ROUNDS * 8 * SECONDS * 1.5 + 8 * SECONDS) * 1000).unref()

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

async function startOnCore0(script, env) {
  const port = await freePort()
  const [cmd, args] = pin ? ['taskset', ['-c', '0', process.execPath, script]] : [process.execPath, [script]]
  const started = performance.now()
  const child = spawn(cmd, args, { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: 'ignore' })
  children.push(child)
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 1000; i++) {
    try {
      await fetch(`${url}/health`)
      return { url, child, coldMs: performance.now() - started }
    } catch {
      await new Promise((r) => setTimeout(r, 5))
    }
  }
  throw new Error(`${script} did not start`)
}

const dir = mkdtempSync(join(tmpdir(), 'wf-bench-'))
const serverEnv = (db) => ({ WF_DB_PATH: db, WF_RATE_LIMIT_RPS: '1000000000', WF_RATE_LIMIT_BURST: '1000000000' })

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
const baseline = await startOnCore0(BASELINE, {})
const server = await startOnCore0(SERVER_MAIN, serverEnv(db))
const key = (org) => ({ 'x-api-key': orgs[org].secret, 'content-type': 'application/json' })
const valid = JSON.stringify(EXAMPLE_CREATE_WORKFLOW)
const invalid = JSON.stringify({ ...EXAMPLE_CREATE_WORKFLOW, steps: [...EXAMPLE_CREATE_WORKFLOW.steps.slice(0, 4), { id: 'ADVERSE_MEDIA', config: { level: 'high' } }] })
let threshold = 0
const cases = {
  'bare Hono GET (baseline)': { url: `${baseline.url}/`, status: 200 },
  'GET /v1/workflows/{id}': { url: `${server.url}/v1/workflows/${orgs.big.workflowId}`, headers: key('big'), status: 200 },
  'POST /v1/workflows valid': { url: `${server.url}/v1/workflows`, method: 'POST', headers: key('small'), body: valid, status: 201 },
  'POST /v1/workflows invalid': { url: `${server.url}/v1/workflows`, method: 'POST', headers: key('small'), body: invalid, status: 400 },
  'GET /v1/workflows?limit=50 (100k)': { url: `${server.url}/v1/workflows?limit=50`, headers: key('big'), status: 200 },
  'GET /v1/workflows?limit=50 (1k)': { url: `${server.url}/v1/workflows?limit=50`, headers: key('small'), status: 200 },
  'PATCH …/steps/FACE_LIVENESS/config': {
    url: `${server.url}/v1/workflows/${orgs.small.workflowId}/steps/FACE_LIVENESS/config`,
    method: 'PATCH',
    headers: key('small'),
    status: 200,
    // A new value each time, so every request writes a version.
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ config: { confidence_threshold: 1 + (threshold++ % 100) } }) }) }],
  },
}

function load(name, extra) {
  const { status, ...opts } = cases[name]
  return new Promise((resolve, reject) =>
    autocannon({ ...opts, connections: CONNECTIONS, duration: SECONDS, ...extra }, (err, r) => {
      if (err) return reject(err)
      const wrong = r.errors + r.timeouts + (status < 300 ? r.non2xx : r['2xx'])
      if (wrong > 0) return reject(new Error(`${name}: ${wrong} unexpected responses`))
      resolve(r)
    }),
  )
}

for (const name of Object.keys(cases)) await load(name, { duration: 1 }) // warm-up
const samples = Object.fromEntries(Object.keys(cases).map((n) => [n, []]))
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(cases)
  const order = names.slice(round % names.length).concat(names.slice(0, round % names.length))
  for (const name of order) {
    const r = await load(name)
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
  const r = await load(name, { overallRate: rate })
  fixed[name] = { rate, p99: r.latency.p99 }
}
const peakRssMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))[1]) / 1024

const base = median(samples['bare Hono GET (baseline)'].map((s) => s.rps))
console.log(`\nnode ${process.version}; ${pin ? 'servers on core 0, load on core 1' : 'not pinned'}; ${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} interleaved rounds, medians`)
console.table(
  Object.entries(samples).map(([name, xs]) => {
    const rps = median(xs.map((s) => s.rps))
    return {
      case: name,
      'req/s': Math.round(rps),
      'p50 ms': median(xs.map((s) => s.p50)),
      'p99 ms (saturated)': median(xs.map((s) => s.p99)),
      'p99 ms @70 %': fixed[name].p99,
      'vs baseline': `${((rps / base) * 100).toFixed(0)} %`,
    }
  }),
)
console.log(`server peak RSS: ${peakRssMb.toFixed(1)} MB; cold start to /health (median of 3): ${median(cold).toFixed(0)} ms`)
for (const c of children) c.kill('SIGTERM')
rmSync(dir, { recursive: true, force: true })
process.exit(0)
