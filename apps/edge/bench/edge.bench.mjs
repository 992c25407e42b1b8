#!/usr/bin/env node
// Local workerd throughput (issue 4): POST /v1/workflows and GET /v1/workflows/{id} of the edge
// app beside a bare Hono "hello" Worker, in the same run, same connections and duration,
// interleaved rounds, medians. Local workerd is not production: quote the ratios.
// Run: pnpm --filter @wf/edge bench   (loopback only; every run is bounded in time)
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EXAMPLE_CREATE_WORKFLOW } from '@wf/core'
import autocannon from 'autocannon'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2)
const DURATION = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const ADMIN = 'bench-admin-token'
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }
const children = []

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

async function waitFor(url) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).status < 500) return
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  stopAll()
  throw new Error(`${url} did not answer in 60 s`)
}

function start(args, extraEnv) {
  const child = spawn(args[0], args.slice(1), { env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'inherit'], detached: true })
  children.push(child)
  return child
}

function stopAll() {
  for (const c of children) {
    try {
      process.kill(-c.pid, 'SIGTERM')
    } catch {}
  }
}
// The children run in their own process groups: stop them however this script ends, and end it
// after a hard bound whatever happens (a benchmark must stop by itself).
process.on('exit', stopAll)
process.on('SIGINT', () => process.exit(130))
process.on('SIGTERM', () => process.exit(143))
setTimeout(
  () => {
    console.error('edge bench: over its time bound; stopping')
    process.exit(1)
  },
  (60 + 4 * ROUNDS * DURATION * 3 + 30) * 1000,
).unref()

const state = mkdtempSync(join(tmpdir(), 'wf-edge-bench-'))
const wfPort = await freePort()
const helloPort = await freePort()
start(['node', 'scripts/dev.mjs'], {
  PORT: String(wfPort),
  WF_ADMIN_TOKEN: ADMIN,
  WF_RATE_LIMIT_RPS: '1000000',
  WF_RATE_LIMIT_BURST: '1000000',
  WF_EDGE_STATE: state,
})
start(
  [
    'wrangler',
    'dev',
    '-c',
    'bench/hello.wrangler.jsonc',
    '--ip',
    '127.0.0.1',
    '--port',
    String(helloPort),
    '--show-interactive-dev-session=false',
  ],
  {},
)
const wf = `http://127.0.0.1:${wfPort}`
const hello = `http://127.0.0.1:${helloPort}`
await Promise.all([waitFor(`${wf}/health`), waitFor(hello)])

const adminHeaders = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }
const { organization } = await (
  await fetch(`${wf}/admin/v1/organizations`, { method: 'POST', headers: adminHeaders, body: '{"name":"Bench"}' })
).json()
const { secret } = await (
  await fetch(`${wf}/admin/v1/organizations/${organization.id}/api-keys`, {
    method: 'POST',
    headers: adminHeaders,
    body: '{"mode":"live"}',
  })
).json()
const body = JSON.stringify(EXAMPLE_CREATE_WORKFLOW)
const keyHeaders = { 'x-api-key': secret, 'content-type': 'application/json' }
const created = await (await fetch(`${wf}/v1/workflows`, { method: 'POST', headers: keyHeaders, body })).json()

const cases = {
  'hello Worker GET (baseline)': { url: hello },
  'GET /health (one D1 query, no key)': { url: `${wf}/health` },
  'GET /v1/workflows/{id}': { url: `${wf}/v1/workflows/${created.workflow.id}`, headers: keyHeaders },
  'POST /v1/workflows (5 steps)': { url: `${wf}/v1/workflows`, method: 'POST', headers: keyHeaders, body },
}

const run = (opts) =>
  new Promise((resolve, reject) =>
    autocannon({ ...opts, connections: CONNECTIONS, duration: DURATION }, (err, result) => (err ? reject(err) : resolve(result))),
  )
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
for (const name of Object.keys(cases)) await run({ ...cases[name], duration: 1 }) // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, opts] of Object.entries(cases)) {
    const r = await run(opts)
    const bad = r.non2xx + r.errors + r.timeouts
    if (bad > 0) throw new Error(`${name}: ${bad} failed responses in round ${round + 1}`)
    samples[name].push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 })
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const base = median(samples['hello Worker GET (baseline)'].map((s) => s.rps))
console.log(`local workerd (wrangler 4.86 dev), ${CONNECTIONS} connections, ${DURATION} s × ${ROUNDS} rounds, medians`)
console.table(
  Object.entries(samples).map(([name, xs]) => {
    const rps = median(xs.map((s) => s.rps))
    return {
      case: name,
      'req/s': Math.round(rps),
      'p50 ms': median(xs.map((s) => s.p50)),
      'p99 ms': median(xs.map((s) => s.p99)),
      'vs baseline': `${((rps / base) * 100).toFixed(0)} %`,
    }
  }),
)
stopAll()
rmSync(state, { recursive: true, force: true })
process.exit(0)
