// What the client costs per call beside calling fetch by hand, in the same run: both against the
// same in-process fetch (a fresh Response with a real workflow record), so the figure is the
// client's own work (headers, timer, signal, JSON, Idempotency-Key), not the network's.
// Interleaved rounds with the order rotated, medians. Then the bundle's size against its budget.
import { Bench } from 'tinybench'
import { interleavedRounds, median } from '../../../scripts/lib/interleaved.mjs'
import { createClient } from '../dist/index.js'
import { BUDGET_BYTES, measure } from '../scripts/size.mjs'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4)
const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 400)
const BASE = 'http://wf.bench'
const KEY = 'wf_live_0123456789abcdef0123456789abcdef'

const config = {
  minimum_age: 21,
  maximum_age: 120,
  expiry_date_years: 10,
  enable_fraud_analysis: true,
  escalation_type: 'nfc-passport',
  escalation_risk_threshold: 70,
}
const workflow = {
  id: 'wf_01JDBENCH0000000000000000',
  name: 'Standard onboarding',
  status: 'active',
  organization_id: 'org_01JDBENCH000000000000000',
  version: 3,
  created_by: 'key_01JDBENCH000000000000000',
  created_at: '2026-11-29T10:00:00.000Z',
  updated_at: '2026-11-29T11:00:00.000Z',
  steps: [
    { id: 'ID_VERIFICATION', config },
    { id: 'FACE_LIVENESS', config: { confidence_threshold: 80 } },
    { id: 'PEP_SANCTIONS', config: {} },
  ],
}
const answer = JSON.stringify({ workflow })
const stub = async () => new Response(answer, { status: 200, headers: { 'content-type': 'application/json' } })
const body = { name: 'Standard onboarding', steps: [{ id: 'ID_VERIFICATION', config: { minimum_age: 21 } }, { id: 'FACE_LIVENESS' }] }

const wf = createClient({ baseUrl: BASE, apiKey: KEY, fetch: stub })
const url = `${BASE}/v1/workflows/${workflow.id}`

const cases = {
  'fetch by hand: GET (baseline)': async () => {
    const r = await stub(url, { method: 'GET', headers: { 'x-api-key': KEY, accept: 'application/json' } })
    return (await r.json()).workflow
  },
  'client: workflows.retrieve': () => wf.workflows.retrieve(workflow.id),
  'fetch by hand: POST with an Idempotency-Key': async () => {
    const headers = { 'x-api-key': KEY, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }
    const r = await stub(`${BASE}/v1/workflows`, { method: 'POST', headers, body: JSON.stringify(body) })
    return (await r.json()).workflow
  },
  'client: workflows.create': () => wf.workflows.create(body),
}

for (const [name, run] of Object.entries(cases)) {
  const got = await run()
  if (got.id !== workflow.id) throw new Error(`bench inputs are wrong: ${name} returned ${JSON.stringify(got)}`)
}

const samples = await interleavedRounds(Bench, cases, { rounds: ROUNDS, timeMs: TIME_MS })

const baselineOf = {
  'client: workflows.retrieve': 'fetch by hand: GET (baseline)',
  'client: workflows.create': 'fetch by hand: POST with an Idempotency-Key',
}
const rows = Object.entries(samples).map(([name, xs]) => {
  const ops = median(xs)
  const base = baselineOf[name]
  return {
    case: name,
    'calls/s (median)': Math.round(ops).toLocaleString('en'),
    'µs/call': (1e6 / ops).toFixed(2),
    'µs added by the client': base ? (1e6 / ops - 1e6 / median(samples[base])).toFixed(2) : '',
  }
})
console.log(`node ${process.version}, ${ROUNDS} rounds × ${TIME_MS} ms per case, medians`)
console.table(rows)

const size = await measure()
console.log(
  `bundle (esbuild, minified, gzip -9): ${(size.gzipped / 1024).toFixed(2)} KiB of a ${BUDGET_BYTES / 1024} KiB budget (${(size.minified / 1024).toFixed(2)} KiB minified); ${size.imports.length} imports left`,
)
