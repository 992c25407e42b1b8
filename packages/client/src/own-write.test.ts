import { applyStepConfigPatch, ESCALATION_TYPES, parseCreateWorkflow, type ResolvedConfigs, type WorkflowVersion } from '@wf/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { archiveMatcher, jsonEqual, stepConfigMatcher, updateMatcher } from './own-write.js'

const idv = {
  minimum_age: 18,
  maximum_age: 120,
  enable_fraud_analysis: true,
  escalation_type: 'nfc-passport',
  escalation_risk_threshold: 70,
}
const v = (over: object): WorkflowVersion =>
  ({
    version: 1,
    name: 'Onboarding',
    status: 'active',
    steps: [
      { id: 'ID_VERIFICATION', config: idv },
      { id: 'FACE_LIVENESS', config: { confidence_threshold: 80 } },
    ],
    created_by: 'key_1',
    created_at: 'x',
    ...over,
  }) as WorkflowVersion

describe('updateMatcher', () => {
  const before = v({})
  it('steps sent with some config fields match the stored steps that hold those values (defaults filled in)', () => {
    const sent = { steps: [{ id: 'ID_VERIFICATION', config: { minimum_age: 18 } }, { id: 'FACE_LIVENESS' }] }
    expect(updateMatcher(sent)(before, v({ version: 2 }))).toBe(true)
  })
  it('a value sent that differs, another order, another count or another status is not this change', () => {
    const after = v({ version: 2 })
    expect(updateMatcher({ steps: [{ id: 'ID_VERIFICATION', config: { minimum_age: 21 } }, { id: 'FACE_LIVENESS' }] })(before, after)).toBe(
      false,
    )
    expect(updateMatcher({ steps: [{ id: 'FACE_LIVENESS' }, { id: 'ID_VERIFICATION' }] })(before, after)).toBe(false)
    expect(updateMatcher({ steps: [{ id: 'ID_VERIFICATION' }] })(before, after)).toBe(false)
    expect(updateMatcher({ name: 'Onboarding' })(before, v({ version: 2, status: 'archived' }))).toBe(false)
  })
  it('a rename matches the name sent, with the steps unchanged', () => {
    expect(updateMatcher({ name: 'New' })(before, v({ name: 'New' }))).toBe(true)
    expect(updateMatcher({ name: 'New' })(before, v({ name: 'Newer' }))).toBe(false)
    expect(updateMatcher({ name: 'New' })(before, v({ name: 'New', steps: [] }))).toBe(false)
  })
})

describe('stepConfigMatcher', () => {
  const before = v({})
  it('the step holds the values sent; every other step and the name as before', () => {
    const after = v({ steps: [{ id: 'ID_VERIFICATION', config: { ...idv, escalation_risk_threshold: 85 } }, before.steps[1]!] })
    expect(stepConfigMatcher('ID_VERIFICATION', { escalation_risk_threshold: 85 })(before, after)).toBe(true)
    expect(stepConfigMatcher('ID_VERIFICATION', { escalation_risk_threshold: 80 })(before, after)).toBe(false)
    expect(stepConfigMatcher('ID_VERIFICATION', { escalation_risk_threshold: 85 })(before, { ...after, name: 'Other' })).toBe(false)
    const otherStepChanged = v({ steps: [after.steps[0]!, { id: 'FACE_LIVENESS', config: { confidence_threshold: 81 } }] })
    expect(stepConfigMatcher('ID_VERIFICATION', { escalation_risk_threshold: 85 })(before, otherStepChanged)).toBe(false)
  })
})

describe('archiveMatcher', () => {
  it('archived, and nothing else changed', () => {
    expect(archiveMatcher(v({}), v({ status: 'archived' }))).toBe(true)
    expect(archiveMatcher(v({}), v({}))).toBe(false)
    expect(archiveMatcher(v({}), v({ status: 'archived', name: 'x' }))).toBe(false)
  })
})

describe('jsonEqual', () => {
  it('a value equals its copy, whatever its key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (x) => {
        const copy = JSON.parse(JSON.stringify(x))
        return jsonEqual(x, copy) && jsonEqual(copy, x)
      }),
    )
    expect(jsonEqual({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true)
  })
  it('agrees with comparing the serialised values (keys sorted)', () => {
    const sorted = (x: unknown): unknown =>
      Array.isArray(x)
        ? x.map(sorted)
        : x !== null && typeof x === 'object'
          ? Object.fromEntries(
              Object.keys(x)
                .sort()
                .map((k) => [k, sorted((x as Record<string, unknown>)[k])]),
            )
          : x
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => jsonEqual(a, b) === (JSON.stringify(sorted(a)) === JSON.stringify(sorted(b)))),
    )
  })
  it('tells apart what only looks alike', () => {
    expect(jsonEqual([], {})).toBe(false)
    expect(jsonEqual({ a: undefined }, { b: undefined })).toBe(false)
    expect(jsonEqual(null, {})).toBe(false)
    expect(jsonEqual('1', 1)).toBe(false)
    expect(jsonEqual([1, 2], [2, 1])).toBe(false)
  })
})

/**
 * The client restates two of the server's storage rules (names trimmed, the fraud flag forced on by
 * an escalation). Held here against @wf/core's own resolution: for any valid change, what core
 * would store is recognised as that change; a new rule in core that alters what was sent fails this.
 */
describe('recognising a change as core would store it', () => {
  const spaces = fc.constantFrom('', ' ', '  ', '\t', '\n ', '\u00a0')
  const name = fc.tuple(spaces, fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ]{0,20}[A-Za-z0-9]$/), spaces).map(([a, n, b]) => a + n + b)
  const idvConfig = fc.record(
    {
      minimum_age: fc.integer({ min: 18, max: 40 }),
      maximum_age: fc.integer({ min: 41, max: 120 }),
      enable_fraud_analysis: fc.boolean(),
      escalation_type: fc.constantFrom(...ESCALATION_TYPES),
      escalation_risk_threshold: fc.integer({ min: 0, max: 100 }),
      require_secondary_id: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  const steps = fc.tuple(idvConfig, fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined })).map(([idv, threshold]) => [
    { id: 'ID_VERIFICATION' as const, config: idv },
    { id: 'FACE_LIVENESS' as const, ...(threshold !== undefined && { config: { confidence_threshold: threshold } }) },
  ])

  it('update: the stored name and steps are the ones sent', () => {
    fc.assert(
      fc.property(name, steps, (sentName, sentSteps) => {
        const parsed = parseCreateWorkflow({ name: sentName, steps: sentSteps })
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
        const before = v({ name: 'Before', steps: [] })
        const after = v({ version: 2, name: parsed.value.name, steps: parsed.value.steps })
        return updateMatcher({ name: sentName, steps: sentSteps })(before, after)
      }),
    )
  })

  it("updateStepConfig: the stored step is core's patch of the one before", () => {
    fc.assert(
      fc.property(steps, idvConfig, (initial, patch) => {
        const created = parseCreateWorkflow({ name: 'x', steps: initial })
        if (!created.ok) throw new Error(JSON.stringify(created.issues))
        const current = created.value.steps[0]!.config as ResolvedConfigs['ID_VERIFICATION']
        const patched = applyStepConfigPatch(current, 'ID_VERIFICATION', { config: patch })
        fc.pre(patched.ok) // a patch may break a rule across fields (minimum above maximum)
        if (!patched.ok) return true
        const before = v({ steps: created.value.steps })
        const after = v({ version: 2, steps: [{ id: 'ID_VERIFICATION', config: patched.value }, created.value.steps[1]] })
        return stepConfigMatcher('ID_VERIFICATION', patch)(before, after)
      }),
    )
  })
})
