import { type ResolvedIdVerificationConfig, shouldEscalate } from '@wf/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { simulate } from './fraud-sim.js'
import { resolvedConfig } from './resolve.js'
import { configOf, validValue } from './testing/arbitraries.js'

/** A config as core resolves it from these overrides. */
const resolved = (config: Record<string, unknown>) => resolvedConfig({ id: 'ID_VERIFICATION', config }) as ResolvedIdVerificationConfig

const off = resolved({})
const analysisOnly = resolved({ enable_fraud_analysis: true })
const escalating = resolved({ escalation_type: 'nfc-passport' })
const threshold = escalating.escalation_risk_threshold

describe('simulate', () => {
  it('fraud analysis off: asynchronous, never escalates', () => {
    expect(simulate(off, 100)).toEqual({
      analysed: false,
      mode: 'async',
      escalates: false,
      threshold: null,
      sentence: 'Fraud analysis runs asynchronously, after the session: no escalation.',
    })
  })

  it('analysis without escalation: synchronous, never escalates', () => {
    expect(simulate(analysisOnly, 100)).toMatchObject({ analysed: true, mode: 'sync', escalates: false, threshold: null })
    expect(simulate(analysisOnly, 100).sentence).toMatch(/no escalation\.$/)
  })

  it('escalation: at the threshold and above it escalates, below it does not', () => {
    expect(simulate(escalating, threshold)).toEqual({
      analysed: true,
      mode: 'sync',
      escalates: true,
      threshold,
      sentence: `Risk ${threshold} ≥ threshold ${threshold}: this workflow escalates to an NFC passport scan.`,
    })
    expect(simulate(escalating, threshold + 1).escalates).toBe(true)
    expect(simulate(escalating, threshold - 1)).toMatchObject({ escalates: false, threshold })
    expect(simulate(escalating, threshold - 1).sentence).toMatch(
      new RegExp(`^Risk ${threshold - 1} < threshold ${threshold}: no escalation`),
    )
    expect(simulate(escalating, threshold - 0.001).escalates).toBe(false)
  })

  it.each([
    [0, 0, true],
    [100, 99, false],
    [100, 100, true],
    [72, 72, true],
    [72, 71, false],
  ])('threshold %d, risk %d: escalates %s', (t, risk, escalates) => {
    const config = resolved({ escalation_type: 'nfc-passport', escalation_risk_threshold: t })
    expect(simulate(config, risk)).toMatchObject({ escalates, threshold: t })
  })

  it('the threshold has no effect while no escalation is set', () => {
    expect(simulate(resolved({ escalation_risk_threshold: 0 }), 100)).toMatchObject({ escalates: false, threshold: null })
  })

  it.each([[-1], [101], [Number.NaN], [Infinity]])('a risk score of %d is not a decision: core’s message', (risk) => {
    let message = ''
    try {
      shouldEscalate(escalating, risk)
    } catch (e) {
      message = (e as Error).message
    }
    const s = simulate(escalating, risk)
    expect(s).toMatchObject({ analysed: false, mode: null, escalates: false })
    expect(s.sentence.toLowerCase()).toBe(`${message.toLowerCase()}.`)
  })

  it('agrees with core for any config and any score', () => {
    fc.assert(
      fc.property(
        configOf('ID_VERIFICATION', validValue).filter((c) => resolvedConfig({ id: 'ID_VERIFICATION', config: c }) !== undefined),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (config, risk) => {
          const r = resolved(config)
          const s = simulate(r, risk)
          expect(s.escalates).toBe(shouldEscalate(r, risk))
          expect(s.analysed).toBe(r.enable_fraud_analysis)
          expect(s.threshold).toBe(r.escalation_type === 'none' ? null : r.escalation_risk_threshold)
          expect(s.sentence).not.toBe('')
        },
      ),
      { numRuns: 300 },
    )
  })
})
