#!/usr/bin/env node
// `pnpm --filter @wf/bench ablation` (after `pnpm build`): where the invalid create's time goes
// over HTTP. The same request is served by five servers, each adding one layer of the real app in
// front of a handler that reads the body and answers a fixed 400 of the real one's size:
//   bare    a bare Hono app
//   context + deps, request id and response headers on the context, access log, the error handler
//   auth    + key authentication and the rate limit (every /v1 request)
//   body    + the write checks: sandbox, body limit, JSON parse (every write)
//   app     the real app: + route, validation, the real error body
// Each on core 0, autocannon on core 1, 10 connections, 3 s, 3 rounds in turn, medians; the
// difference between rows is what a layer costs per request.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { benchCases } from './cases.mjs'
import { boundInTime, pinned, startOnCore0, stop } from './processes.mjs'
import { seed } from './seed.mjs'

boundInTime(240)
const SERVER = fileURLToPath(new URL('./ablation-server.mjs', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'wf-ablation-'))
const db = join(dir, 'ablation.sqlite')
const orgs = await seed(db, { big: 1000, small: 10 })
const { body, headers, url } = benchCases({ server: { url: '' }, orgs })['POST /v1/workflows invalid']

// The real 400's bytes, for the handlers that fake it.
const real = await startOnCore0(SERVER, { VARIANT: 'app', WF_DB_PATH: db, ANSWER: '' })
const ANSWER = await (await fetch(`${real.url}${url}`, { method: 'POST', headers, body })).text()
await stop(real.child)

const layers = ['bare', 'context', 'auth', 'body', 'app']
const rates = Object.fromEntries(layers.map((l) => [l, []]))
for (let round = 0; round < 3; round++) {
  for (const layer of layers) {
    const s = await startOnCore0(SERVER, { VARIANT: layer, WF_DB_PATH: db, ANSWER })
    const opts = { url: `${s.url}${url}`, method: 'POST', headers, body, connections: 10 }
    await autocannon({ ...opts, duration: 1 })
    const r = await autocannon({ ...opts, duration: 3 })
    const other = Object.entries(r.statusCodeStats ?? {}).filter(([code]) => code !== '400')
    if (other.length > 0 || r.errors > 0) throw new Error(`${layer}: expected only 400s, got ${JSON.stringify(r.statusCodeStats)}`)
    rates[layer].push(r.requests.average)
    await stop(s.child)
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
console.log(
  `node ${process.version}; ${pinned ? 'server on core 0, load on core 1' : 'not pinned'}; 10 connections, 3 s × 3 rounds, medians`,
)
let previous
console.table(
  layers.map((layer) => {
    const rps = median(rates[layer])
    const us = 1e6 / rps
    const row = {
      layer,
      'req/s': Math.round(rps),
      'µs per request': us.toFixed(1),
      'this layer µs': previous === undefined ? '' : (us - previous).toFixed(1),
    }
    previous = us
    return row
  }),
)
rmSync(dir, { recursive: true, force: true })
process.exit(0)
