/**
 * Generated requests (generate.ts), sent one by one to the Node server and then to the edge app
 * and compared like the fixed table. fast-check draws them from a seed: WF_DIFFERENTIAL_SEED
 * replays a run (the seed is printed), WF_DIFFERENTIAL_RUNS sets how many (default 250). Every
 * request is sent and every divergence is listed with the request that caused it (no shrinking:
 * the apps' state moves with every request, so a shrunk request would not meet the same state).
 * Requests the local runtime answers itself (platform.ts's predicate) are asserted as platform
 * behaviour instead of compared.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import '../src/provided.js'
import { generatedCase } from './generate.js'
import { platformReason } from './platform.js'
import { formatFigures, Pair, recordFigures } from './run.js'
import { seed } from './seed.js'

const RUNS = Number(process.env.WF_DIFFERENTIAL_RUNS ?? 250)
const SEED = process.env.WF_DIFFERENTIAL_SEED !== undefined ? Number(process.env.WF_DIFFERENTIAL_SEED) : Date.now() % 2 ** 31
if (!Number.isInteger(RUNS) || RUNS < 0) throw new Error(`WF_DIFFERENTIAL_RUNS=${process.env.WF_DIFFERENTIAL_RUNS}: a count of requests`)
if (!Number.isInteger(SEED)) throw new Error(`WF_DIFFERENTIAL_SEED=${process.env.WF_DIFFERENTIAL_SEED}: an integer`)

const pair = new Pair(inject('nodeUrl'), inject('edgeUrl'), 'generated')
pair.figures.seed = SEED

beforeAll(async () => {
  await seed(pair)
  // {gen}: the last workflow a generated request created (at first: one of the seed's); {cursor}: the last next_cursor.
  for (const app of [pair.node, pair.edge]) {
    app.vars.set('gen', app.vars.get('wf2')!)
    app.vars.set('cursor', 'none-yet')
  }
})

afterAll(() => {
  pair.figures.requests = pair.node.sent + pair.edge.sent
  console.log(`differential ${formatFigures(pair.figures)}; replay with WF_DIFFERENTIAL_SEED=${SEED} WF_DIFFERENTIAL_RUNS=${RUNS}`)
  recordFigures(inject('differentialFigures'), pair.figures)
  pair.close()
})

it(`${RUNS} generated requests (seed ${SEED}) answered alike by both apps`, { timeout: 600_000 }, async () => {
  console.log(`differential generated: seed ${SEED}, ${RUNS} requests (WF_DIFFERENTIAL_SEED, WF_DIFFERENTIAL_RUNS)`)
  const cases = fc.sample(generatedCase, { seed: SEED, numRuns: RUNS })
  const failures: string[] = []
  for (const [i, c] of cases.entries()) {
    const label = `g${i + 1}`
    const reason = platformReason(c)
    if (reason) {
      const { problems, report } = await pair.platform({
        name: `${label} ${c.method} ${c.path}`,
        why: reason.why,
        request: { case: c },
        edge: reason.edge,
        node: {},
      })
      if (problems.length > 0) failures.push(report())
      continue
    }
    const outcome = await pair.exchange(c, label)
    if (outcome.differs.length > 0 || outcome.misses.length > 0) failures.push(outcome.report())
  }
  if (failures.length > 0) {
    const shown = 15
    // Past the first few, one line each: the label, what differs, the request line.
    const rest = failures.slice(shown).map((f) => {
      const lines = f.split('\n')
      return `  ${lines[0]} — ${lines[1]} — ${lines[lines.indexOf('request:') + 1]?.trim() ?? ''}`
    })
    expect.fail(
      [
        `${failures.length} of ${RUNS} generated requests (seed ${SEED}) failed; replay with WF_DIFFERENTIAL_SEED=${SEED} WF_DIFFERENTIAL_RUNS=${RUNS}.`,
        ...failures.slice(0, shown).map((f) => `\n${f}`),
        ...(rest.length > 0 ? ['\nand:', ...rest] : []),
      ].join('\n'),
    )
  }
})
