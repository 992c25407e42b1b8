import { describe, expect, it } from 'vitest'
import type { ResolvedConfigs } from './catalog.js'
import { defaultStepConfig } from './step-config.js'
import { applyStepConfigPatch } from './step-patch.js'

const idDefaults: ResolvedConfigs['ID_VERIFICATION'] = defaultStepConfig('ID_VERIFICATION')

describe('applyStepConfigPatch (contract §4, §8)', () => {
  it('replaces the given fields and keeps the others', () => {
    const r = applyStepConfigPatch(idDefaults, 'ID_VERIFICATION', { config: { minimum_age: 21, require_front_only: true } })
    expect(r).toEqual({ ok: true, value: { ...idDefaults, minimum_age: 21, require_front_only: true } })
    if (r.ok) expect(Object.keys(r.value)).toEqual(Object.keys(idDefaults))
  })

  it('an empty config changes nothing', () => {
    expect(applyStepConfigPatch({ confidence_threshold: 90 }, 'FACE_LIVENESS', { config: {} })).toEqual({
      ok: true,
      value: { confidence_threshold: 90 },
    })
  })

  it('forces fraud analysis on with an escalation, and keeps it on when the escalation is removed', () => {
    const escalated = applyStepConfigPatch(idDefaults, 'ID_VERIFICATION', { config: { escalation_type: 'nfc-passport' } })
    expect(escalated.ok && escalated.value.enable_fraud_analysis).toBe(true)
    if (!escalated.ok) return
    const back = applyStepConfigPatch(escalated.value, 'ID_VERIFICATION', { config: { escalation_type: 'none' } })
    expect(back).toEqual({ ok: true, value: { ...idDefaults, enable_fraud_analysis: true } })
    if (!back.ok) return
    const off = applyStepConfigPatch(back.value, 'ID_VERIFICATION', { config: { enable_fraud_analysis: false } })
    expect(off).toEqual({ ok: true, value: idDefaults })
  })

  it('cannot switch fraud analysis off while an escalation is set', () => {
    const current = { ...idDefaults, enable_fraud_analysis: true, escalation_type: 'nfc-passport' as const }
    expect(applyStepConfigPatch(current, 'ID_VERIFICATION', { config: { enable_fraud_analysis: false } })).toEqual({
      ok: true,
      value: current,
    })
  })

  it('checks the ages against the stored values, at the field given', () => {
    const current = { ...idDefaults, minimum_age: 40 }
    expect(applyStepConfigPatch(current, 'ID_VERIFICATION', { config: { maximum_age: 39 } })).toEqual({
      ok: false,
      issues: [{ path: '/config/maximum_age', message: 'must not be less than minimum_age (40)' }],
    })
    expect(applyStepConfigPatch(current, 'ID_VERIFICATION', { config: { maximum_age: 40 } }).ok).toBe(true)
  })

  it.each([
    [{ config: { confidence_threshold: 0 } }, '/config/confidence_threshold', 'must be an integer from 1 to 100'],
    [{ config: { confidence_threshold: 101 } }, '/config/confidence_threshold', 'must be an integer from 1 to 100'],
    [{ config: { minimum_age: 18 } }, '/config/minimum_age', 'is not a field of FACE_LIVENESS; allowed: confidence_threshold'],
    [{ config: [] }, '/config', 'must be an object'],
    [{}, '/config', 'is required'],
    [{ config: {}, name: 'x' }, '/name', 'is not allowed: the body has only config'],
    [null, '', 'must be a JSON object with a config'],
  ])('rejects %j at %s', (patch, path, message) => {
    expect(applyStepConfigPatch({ confidence_threshold: 70 }, 'FACE_LIVENESS', patch)).toEqual({ ok: false, issues: [{ path, message }] })
  })

  it('accepts both ends of a range', () => {
    for (const v of [1, 100]) {
      expect(applyStepConfigPatch({ confidence_threshold: 70 }, 'FACE_LIVENESS', { config: { confidence_threshold: v } })).toEqual({
        ok: true,
        value: { confidence_threshold: v },
      })
    }
  })

  it('steps without options take only an empty config', () => {
    expect(applyStepConfigPatch({}, 'PEP_SANCTIONS', { config: {} })).toEqual({ ok: true, value: {} })
    expect(applyStepConfigPatch({}, 'ADVERSE_MEDIA', { config: { x: 1 } }).ok).toBe(false)
  })

  it('takes only a step ID of the catalog (the caller checks a path parameter first)', () => {
    // @ts-expect-error a string is not a StepId
    const call = () => applyStepConfigPatch({}, 'NOPE', { config: {} })
    void call
  })

  it('does not mutate the current config or the body', () => {
    const current = { ...idDefaults }
    const patch = { config: { escalation_type: 'nfc-passport' } }
    applyStepConfigPatch(current, 'ID_VERIFICATION', patch)
    expect(current).toEqual(idDefaults)
    expect(patch).toEqual({ config: { escalation_type: 'nfc-passport' } })
  })
})
