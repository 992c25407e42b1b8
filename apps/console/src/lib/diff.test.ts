import { defaultStepConfig, STEP_IDS, type StepId } from '@wf/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Change, describeChange, diffVersions, type VersionLike } from './diff.js'
import { resolvedConfig } from './resolve.js'
import { configOf, stepIds, validValue } from './testing/arbitraries.js'

const RUNS = { numRuns: 400 }

const step = (id: StepId, config: Record<string, unknown> = {}) => ({ id, config: resolvedConfig({ id, config })! })
const v1: VersionLike = {
  name: 'Onboarding',
  status: 'active',
  steps: [step('ID_VERIFICATION'), step('FACE_LIVENESS', { confidence_threshold: 80 }), step('PEP_SANCTIONS')],
}

/** A stored version: catalog steps, each once, with resolved configs. */
const version: fc.Arbitrary<VersionLike> = fc
  .record({
    name: fc.constantFrom('Onboarding', 'Onboarding v2'),
    status: fc.constantFrom('active', 'archived'),
    steps: stepIds.chain((ids) => fc.tuple(...ids.map((id) => configOf(id, validValue).map((config) => ({ id, config }))))),
  })
  .filter((v) => v.steps.every((s) => resolvedConfig(s) !== undefined))
  .map((v) => ({ ...v, steps: v.steps.map((s) => ({ id: s.id, config: resolvedConfig(s)! })) }))

/** Applies a diff: what is left of `a` in order, then additions and moves at their places in `b`. */
function apply(a: VersionLike, changes: Change[]): VersionLike {
  let name = a.name
  let status = a.status
  const gone = new Set<StepId>()
  const placed: { id: StepId; index: number }[] = []
  for (const c of changes) {
    if (c.kind === 'name') name = c.to
    if (c.kind === 'status') status = c.to
    if (c.kind === 'step-removed') gone.add(c.id)
    if (c.kind === 'step-moved') {
      gone.add(c.id)
      placed.push({ id: c.id, index: c.to })
    }
    if (c.kind === 'step-added') placed.push({ id: c.id, index: c.index })
  }
  const steps = a.steps.filter((s) => !gone.has(s.id)).map((s) => ({ id: s.id, config: { ...s.config } as Record<string, unknown> }))
  for (const p of placed.sort((x, y) => x.index - y.index)) {
    const before = a.steps.find((x) => x.id === p.id)
    steps.splice(p.index, 0, { id: p.id, config: { ...(before?.config ?? defaultStepConfig(p.id)) } })
  }
  for (const c of changes) {
    if (c.kind !== 'value-changed') continue
    const s = steps.find((x) => x.id === c.id)!
    if (c.to === undefined) delete s.config[c.key]
    else s.config[c.key] = c.to
  }
  return { name, status, steps }
}

describe('diffVersions', () => {
  it('reports each kind of change', () => {
    const v2: VersionLike = {
      name: 'Onboarding v2',
      status: 'archived',
      steps: [step('FACE_LIVENESS', { confidence_threshold: 90 }), step('ID_VERIFICATION'), step('ADVERSE_MEDIA')],
    }
    const changes = diffVersions(v1, v2)
    expect(changes).toEqual([
      { kind: 'name', from: 'Onboarding', to: 'Onboarding v2' },
      { kind: 'status', from: 'active', to: 'archived' },
      { kind: 'step-removed', id: 'PEP_SANCTIONS', index: 2 },
      expect.objectContaining({ kind: 'step-moved' }),
      { kind: 'step-added', id: 'ADVERSE_MEDIA', index: 2 },
      { kind: 'value-changed', id: 'FACE_LIVENESS', key: 'confidence_threshold', from: 80, to: 90 },
    ])
    expect(changes.filter((c) => c.kind === 'step-moved')).toHaveLength(1)
  })

  it('moving one step to the end is one move, not one per step it passes', () => {
    const a: VersionLike = { ...v1, steps: STEP_IDS.map((id) => step(id)) }
    const b: VersionLike = { ...a, steps: [...a.steps.slice(1), a.steps[0]!] }
    expect(diffVersions(a, b)).toEqual([{ kind: 'step-moved', id: 'ID_VERIFICATION', from: 0, to: STEP_IDS.length - 1 }])
  })

  it('an added step comes with the values it sets apart from the defaults', () => {
    const b: VersionLike = { ...v1, steps: [...v1.steps, step('AGE_ESTIMATION', { minimum_age: 21 })] }
    expect(diffVersions(v1, b).map(describeChange)).toEqual(['Added Age estimation at position 4', 'Age estimation › Minimum age: 18 → 21'])
  })

  it('a step shifted by an addition or a removal has not moved', () => {
    const b: VersionLike = { ...v1, steps: [step('AGE_ESTIMATION'), ...v1.steps.slice(1)] }
    expect(diffVersions(v1, b)).toEqual([
      { kind: 'step-removed', id: 'ID_VERIFICATION', index: 0 },
      { kind: 'step-added', id: 'AGE_ESTIMATION', index: 0 },
    ])
  })

  it('a version compared with itself has no changes', () => {
    fc.assert(
      fc.property(version, (a) => {
        expect(diffVersions(a, a)).toEqual([])
        expect(diffVersions(a, structuredClone(a))).toEqual([])
      }),
      RUNS,
    )
  })

  it('additions and removals are the set differences; applying the changes to a gives b', () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        const changes = diffVersions(a, b)
        const ids = (v: VersionLike) => v.steps.map((s) => s.id)
        const minus = (x: StepId[], y: StepId[]) => new Set(x.filter((id) => !y.includes(id)))
        const added = changes.flatMap((c) => (c.kind === 'step-added' ? [c.id] : []))
        const removed = changes.flatMap((c) => (c.kind === 'step-removed' ? [c.id] : []))
        expect(new Set(added)).toEqual(minus(ids(b), ids(a)))
        expect(new Set(removed)).toEqual(minus(ids(a), ids(b)))
        expect(added).toHaveLength(new Set(added).size)
        expect(apply(a, changes)).toEqual({ name: b.name, status: b.status, steps: b.steps.map((s) => ({ ...s })) })
        for (const c of changes) expect(describeChange(c)).not.toBe('')
      }),
      RUNS,
    )
  })

  it('moving one step is exactly one move', () => {
    const move = version
      .filter((v) => v.steps.length >= 2)
      .chain((v) => fc.tuple(fc.constant(v), fc.nat(v.steps.length - 1), fc.nat(v.steps.length - 1)))
      .filter(([, from, to]) => from !== to)
    fc.assert(
      fc.property(move, ([a, from, to]) => {
        const steps = [...a.steps]
        const [moved] = steps.splice(from, 1)
        steps.splice(to, 0, moved!)
        const changes = diffVersions(a, { ...a, steps })
        expect(changes).toHaveLength(1)
        expect(changes[0]!.kind).toBe('step-moved')
        // Swapping neighbours can be told either way round; otherwise it is the step that was moved.
        if (Math.abs(from - to) > 1) expect(changes[0]).toEqual({ kind: 'step-moved', id: moved!.id, from, to })
      }),
      RUNS,
    )
  })
})

describe('describeChange', () => {
  it.each<[Change, string]>([
    [{ kind: 'step-added', id: 'FACE_LIVENESS', index: 1 }, 'Added Face liveness at position 2'],
    [{ kind: 'step-removed', id: 'ADVERSE_MEDIA', index: 0 }, 'Removed Adverse media screening (was at position 1)'],
    [{ kind: 'step-moved', id: 'PEP_SANCTIONS', from: 0, to: 3 }, 'Moved PEP and sanctions screening from position 1 to 4'],
    [
      { kind: 'value-changed', id: 'FACE_LIVENESS', key: 'confidence_threshold', from: 80, to: 90 },
      'Face liveness › Confidence threshold: 80 → 90',
    ],
    [
      { kind: 'value-changed', id: 'ID_VERIFICATION', key: 'escalation_type', from: 'none', to: 'nfc-passport' },
      'ID verification › Escalation type: None → NFC passport scan',
    ],
    [
      { kind: 'value-changed', id: 'ID_VERIFICATION', key: 'enable_fraud_analysis', from: false, to: true },
      'ID verification › Enable fraud analysis: off → on',
    ],
    [{ kind: 'value-changed', id: 'ID_VERIFICATION', key: 'maximum_age', from: 51, to: 65 }, 'ID verification › Maximum age: 51 → 65'],
    [{ kind: 'name', from: 'A', to: 'B' }, 'Renamed from "A" to "B"'],
    [{ kind: 'status', from: 'active', to: 'archived' }, 'Status: active → archived'],
  ])('%j', (change, text) => {
    expect(describeChange(change)).toBe(text)
  })
})
