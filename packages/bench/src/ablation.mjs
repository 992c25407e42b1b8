#!/usr/bin/env node
// `pnpm --filter @wf/bench ablation [get|invalid]` (after `pnpm build`): where a path's time goes
// over HTTP, the keyed GET of one workflow or the invalid create (the default). The same request is
// served by servers each adding one layer of the real app in front of a handler that answers the
// real answer's bytes and headers (captured from the real app first):
//   hello   the baseline of pnpm bench: a bare Hono app answering GET /hello with {"hello":"world"}
//   bare    a bare Hono app answering the path's bytes and headers
//   context + deps, request id and response headers on the context, access log, the error handler
//   auth    + key authentication and the rate limit (every /v1 request)
//   body    + the write checks: sandbox, body limit, JSON parse (every write; not for the GET)
//   app     the real app: + route, the store's read or validation, the real body
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
const PATH_KIND = process.argv[2] ?? 'invalid'
if (!['get', 'invalid'].includes(PATH_KIND)) throw new Error(`ablation: get or invalid, not ${PATH_KIND}`)
const caseName = PATH_KIND === 'get' ? 'GET /v1/workflows/{id}' : 'POST /v1/workflows invalid'
const { body, headers, url, method = 'GET', status: expected } = benchCases({ server: { url: '' }, orgs })[caseName]

// The real answer's bytes and headers (but those every response gets anew), for the handlers that fake it.
const real = await startOnCore0(SERVER, { VARIANT: 'app', WF_DB_PATH: db, ANSWER: '', PATH_KIND })
const realRes = await fetch(`${real.url}${url}`, { method, headers, body })
const ANSWER = await realRes.text()
const ANSWER_HEADERS = JSON.stringify(
  Object.fromEntries(
    [...realRes.headers].filter(([name]) => !/^(date|connection|keep-alive|content-length|x-request-id|ratelimit-)/.test(name)),
  ),
)
await stop(real.child)
const env = { WF_DB_PATH: db, ANSWER, ANSWER_HEADERS, STATUS: String(expected), PATH_KIND }

const layers = PATH_KIND === 'get' ? ['hello', 'bare', 'context', 'auth', 'app'] : ['hello', 'bare', 'context', 'auth', 'body', 'app']
const rates = Object.fromEntries(layers.map((l) => [l, []]))
for (let round = 0; round < 3; round++) {
  for (const layer of layers) {
    const s = await startOnCore0(SERVER, { VARIANT: layer, ...env })
    const hello = layer === 'hello'
    const opts = hello ? { url: `${s.url}/hello`, connections: 10 } : { url: `${s.url}${url}`, method, headers, body, connections: 10 }
    await autocannon({ ...opts, duration: 1 })
    const r = await autocannon({ ...opts, duration: 3 })
    const other = Object.entries(r.statusCodeStats ?? {}).filter(([code]) => code !== String(hello ? 200 : expected))
    if (other.length > 0 || r.errors > 0) throw new Error(`${layer}: expected only ${expected}s, got ${JSON.stringify(r.statusCodeStats)}`)
    rates[layer].push(r.requests.average)
    await stop(s.child)
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
console.log(
  `${caseName}; node ${process.version}; ${pinned ? 'server on core 0, load on core 1' : 'not pinned'}; 10 connections, 3 s × 3 rounds, medians`,
)
let previous
const baseline = median(rates.hello)
console.table(
  layers.map((layer) => {
    const rps = median(rates[layer])
    const us = 1e6 / rps
    const row = {
      layer,
      'req/s': Math.round(rps),
      'vs hello': `${Math.round((100 * rps) / baseline)} %`,
      'µs per request': us.toFixed(1),
      // hello answers other bytes: the first layer of the path is measured against it all the same.
      'this layer µs': previous === undefined ? '' : (us - previous).toFixed(1),
    }
    previous = us
    return row
  }),
)
rmSync(dir, { recursive: true, force: true })
process.exit(0)
