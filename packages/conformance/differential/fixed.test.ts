/**
 * The fixed table (cases.ts), one test per request, in order: each request goes to the Node
 * server, then to the edge app; the normalised answers must be equal (and the contract's answer
 * where a case gives it). Then the platform-behaviour list (platform.ts), asserted, not compared.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import '../src/provided.js'
import { FIXED_CASES, SECTIONS } from './cases.js'
import { PLATFORM_CASES, platformReason } from './platform.js'
import { formatFigures, Pair, recordFigures } from './run.js'
import { seed } from './seed.js'

const pair = new Pair(inject('nodeUrl'), inject('edgeUrl'), 'fixed')

beforeAll(async () => {
  await seed(pair)
})

afterAll(() => {
  pair.figures.requests = pair.node.sent + pair.edge.sent
  console.log(`differential ${formatFigures(pair.figures)}`)
  recordFigures(inject('differentialFigures'), pair.figures)
  pair.close()
})

it('no request of the fixed table is one the local runtime answers itself', () => {
  const platform = FIXED_CASES.flatMap((c) => {
    const reason = platformReason(c)
    return reason ? [`${c.method} ${c.path.slice(0, 60)}: ${reason.why}`] : []
  })
  expect(platform).toEqual([])
})

describe('the same request to both apps', () => {
  let n = 0
  for (const [section, cases] of SECTIONS) {
    describe(section, () => {
      for (const c of cases) {
        const label = `c${++n}`
        it(`${label} ${c.name ?? `${c.method} ${c.path.length > 80 ? `${c.path.slice(0, 80)}…` : c.path}`}`, async () => {
          const outcome = await pair.exchange(c, label)
          if (outcome.differs.length > 0 || outcome.misses.length > 0) expect.fail(`\n${outcome.report()}`)
        })
      }
    })
  }
})

describe('platform behaviour (asserted, not compared)', () => {
  for (const pc of PLATFORM_CASES) {
    it(pc.name, async () => {
      const { problems, report } = await pair.platform(pc)
      if (problems.length > 0) expect.fail(`\n${report()}`)
    })
  }
})
