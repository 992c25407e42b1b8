// Micro-benchmark of request validation (issue 2): parseCreateWorkflow beside a bare compiled
// TypeBox Check of the same valid request, measured in the same run. Interleaved rounds; medians.
// Runs the built package (`pnpm bench` at the root builds it first): what consumers import.
import { Bench } from 'tinybench'
import { Compile } from 'typebox/compile'
import { interleavedRounds, median } from '../../../scripts/lib/interleaved.mjs'
import { CreateWorkflowRequest, parseCreateWorkflow } from '../dist/index.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4)
const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 400)

const valid = {
  name: 'Standard onboarding',
  steps: [
    { id: 'ID_VERIFICATION', config: { minimum_age: 21, escalation_type: 'nfc-passport', escalation_risk_threshold: 70 } },
    { id: 'FACE_LIVENESS', config: { confidence_threshold: 80 } },
    { id: 'AGE_ESTIMATION', config: { minimum_age: 18 } },
    { id: 'PEP_SANCTIONS' },
    { id: 'ADVERSE_MEDIA', config: {} },
  ],
}
const failsEarly = { ...valid, name: '   ' }
const failsLate = { ...valid, steps: [...valid.steps.slice(0, 4), { id: 'ADVERSE_MEDIA', config: { level: 'high' } }] }

const bare = Compile(CreateWorkflowRequest)
for (const [label, ok] of [
  ['bare Check accepts the valid body', bare.Check(valid)],
  ['parse accepts the valid body', parseCreateWorkflow(valid).ok],
  ['parse rejects the early failure', !parseCreateWorkflow(failsEarly).ok],
  ['parse rejects the late failure', !parseCreateWorkflow(failsLate).ok],
]) {
  if (!ok) throw new Error(`bench inputs are wrong: ${label} is false`)
}

const cases = {
  'bare Check (valid, baseline)': () => bare.Check(valid),
  'parseCreateWorkflow valid': () => parseCreateWorkflow(valid),
  'parseCreateWorkflow fails early (name)': () => parseCreateWorkflow(failsEarly),
  'parseCreateWorkflow fails late (last step)': () => parseCreateWorkflow(failsLate),
  'bare Errors() of the late failure (avoided)': () => bare.Errors(failsLate),
}

const samples = await interleavedRounds(Bench, cases, { rounds: ROUNDS, timeMs: TIME_MS })

const baseline = median(samples['bare Check (valid, baseline)'])
const rows = Object.entries(samples).map(([name, xs]) => {
  const ops = median(xs)
  return {
    case: name,
    'ops/s (median)': Math.round(ops).toLocaleString('en'),
    'µs/op': (1e6 / ops).toFixed(2),
    'time × bare Check': (baseline / ops).toFixed(2),
  }
})
console.log(`node ${process.version}, ${ROUNDS} rounds × ${TIME_MS} ms per case, medians`)
console.table(rows)

const ratio = (name) => baseline / median(samples[name])
const targets = [
  ['valid parse ≤ 2× bare Check', ratio('parseCreateWorkflow valid'), 2],
  ['early failure ≤ 3× bare Check', ratio('parseCreateWorkflow fails early (name)'), 3],
  ['late failure ≤ 3× bare Check', ratio('parseCreateWorkflow fails late (last step)'), 3],
]
for (const [label, value, max] of targets) console.log(`${value <= max ? 'met ' : 'MISSED'}  ${label}: ${value.toFixed(2)}×`)
