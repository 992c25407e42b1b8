import { describe, expect, it } from 'vitest'
import type { ResolvedConfigs } from './catalog.js'
import { fraudAnalysis, shouldEscalate } from './fraud.js'
import { defaultStepConfig } from './step-config.js'

const base: ResolvedConfigs['ID_VERIFICATION'] = defaultStepConfig('ID_VERIFICATION')
const analysisOnly = { ...base, enable_fraud_analysis: true }
const escalating = { ...base, enable_fraud_analysis: true, escalation_type: 'nfc-passport' as const }

describe('fraudAnalysis (the seed table)', () => {
  it.each([
    ['default', base, { mode: 'async', escalation: null }],
    ['analysis only', analysisOnly, { mode: 'sync', escalation: null }],
    ['analysis + escalation', escalating, { mode: 'sync', escalation: { type: 'nfc-passport', risk_threshold: 60 } }],
    ['threshold without escalation', { ...base, escalation_risk_threshold: 10 }, { mode: 'async', escalation: null }],
  ])('%s', (_, config, expected) => {
    expect(fraudAnalysis(config)).toEqual(expected)
  })
})

describe('shouldEscalate', () => {
  it.each([
    [escalating, 59, false],
    [escalating, 59.999, false],
    [escalating, 60, true],
    [escalating, 100, true],
    [escalating, 0, false],
    [{ ...escalating, escalation_risk_threshold: 0 }, 0, true],
    [{ ...escalating, escalation_risk_threshold: 100 }, 99, false],
    [{ ...escalating, escalation_risk_threshold: 100 }, 100, true],
    [analysisOnly, 100, false],
    [base, 100, false],
  ])('threshold %#: score %d escalates: %s', (config, score, expected) => {
    expect(shouldEscalate(config, score)).toBe(expected)
  })

  it.each([[-0.001], [100.001], [-1], [101], [Number.NaN], [Infinity], [-Infinity], ['60'], [null], [undefined]])(
    'throws a RangeError for the score %j',
    (score) => {
      expect(() => shouldEscalate(escalating, score as number)).toThrow(RangeError)
    },
  )
})
