import { EXAMPLE_CREATE_WORKFLOW, parseCreateWorkflow, STEP_IDS, type StepId } from '@wf/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addStep,
  availableSteps,
  type Draft,
  emptyDraft,
  fromWorkflow,
  moveStep,
  removeStep,
  setField,
  setName,
  toRequest,
} from './draft.js'
import { draftOf } from './testing/arbitraries.js'

const RUNS = { numRuns: 300 }

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

const draft: Draft = deepFreeze({
  name: 'Onboarding',
  steps: [
    { id: 'ID_VERIFICATION', config: { minimum_age: 21 } },
    { id: 'FACE_LIVENESS', config: {} },
  ],
})

describe('toRequest', () => {
  it('omits config where nothing is set and keeps the fields that are', () => {
    expect(toRequest(draft)).toEqual({
      name: 'Onboarding',
      steps: [{ id: 'ID_VERIFICATION', config: { minimum_age: 21 } }, { id: 'FACE_LIVENESS' }],
    })
    expect(toRequest(draft).steps[1]).not.toHaveProperty('config')
  })

  it('is a request core resolves exactly as the example it came from', () => {
    const d = fromWorkflow(EXAMPLE_CREATE_WORKFLOW as unknown as Parameters<typeof fromWorkflow>[0])
    expect(parseCreateWorkflow(toRequest(d))).toEqual(parseCreateWorkflow(EXAMPLE_CREATE_WORKFLOW))
  })

  it('shares nothing with the draft', () => {
    const req = toRequest(draft)
    expect(req.steps[0]!.config).not.toBe(draft.steps[0]!.config)
  })
})

describe('fromWorkflow', () => {
  it('keeps the full resolved configs', () => {
    const parsed = parseCreateWorkflow(EXAMPLE_CREATE_WORKFLOW)
    if (!parsed.ok) throw new Error('the example is valid')
    const d = fromWorkflow(parsed.value)
    expect(d.name).toBe(parsed.value.name)
    expect(d.steps).toEqual(parsed.value.steps)
    // And storing it again changes nothing.
    expect(parseCreateWorkflow(toRequest(d))).toEqual(parsed)
  })
})

describe('step operations', () => {
  it('addStep appends, inserts at an index (clamped) and never adds a step twice', () => {
    expect(addStep(draft, 'PEP_SANCTIONS').steps.map((s) => s.id)).toEqual(['ID_VERIFICATION', 'FACE_LIVENESS', 'PEP_SANCTIONS'])
    expect(addStep(draft, 'PEP_SANCTIONS', 0).steps.map((s) => s.id)).toEqual(['PEP_SANCTIONS', 'ID_VERIFICATION', 'FACE_LIVENESS'])
    expect(addStep(draft, 'PEP_SANCTIONS', 1).steps[1]).toEqual({ id: 'PEP_SANCTIONS', config: {} })
    expect(addStep(draft, 'PEP_SANCTIONS', 99).steps[2]!.id).toBe('PEP_SANCTIONS')
    expect(addStep(draft, 'PEP_SANCTIONS', -5).steps[0]!.id).toBe('PEP_SANCTIONS')
    expect(addStep(draft, 'FACE_LIVENESS')).toBe(draft)
  })

  it('removeStep removes one step; an index outside the list changes nothing', () => {
    expect(removeStep(draft, 0).steps.map((s) => s.id)).toEqual(['FACE_LIVENESS'])
    expect(removeStep(draft, 2)).toBe(draft)
    expect(removeStep(draft, -1)).toBe(draft)
  })

  it('moveStep moves one step', () => {
    expect(moveStep(draft, 0, 1).steps.map((s) => s.id)).toEqual(['FACE_LIVENESS', 'ID_VERIFICATION'])
    expect(moveStep(draft, 1, 0).steps.map((s) => s.id)).toEqual(['FACE_LIVENESS', 'ID_VERIFICATION'])
    expect(moveStep(draft, 0, 0)).toBe(draft)
    expect(moveStep(draft, 5, 0)).toBe(draft)
  })

  it('setField sets a field, and undefined gives it back to its default', () => {
    const set = setField(draft, 1, 'confidence_threshold', 90)
    expect(set.steps[1]!.config).toEqual({ confidence_threshold: 90 })
    expect(set.steps[0]).toBe(draft.steps[0])
    expect(setField(set, 1, 'confidence_threshold', undefined).steps[1]!.config).toEqual({})
    expect(setField(draft, 7, 'x', 1)).toBe(draft)
  })

  it('setName and emptyDraft', () => {
    expect(setName(draft, 'Other').name).toBe('Other')
    expect(emptyDraft()).toEqual({ name: '', steps: [] })
    expect(emptyDraft()).not.toBe(emptyDraft())
  })

  it('availableSteps lists the catalog steps not in the draft, in catalog order', () => {
    expect(availableSteps(draft)).toEqual(['AGE_ESTIMATION', 'PEP_SANCTIONS', 'ADVERSE_MEDIA'])
    expect(availableSteps(emptyDraft())).toEqual([...STEP_IDS])
  })
})

type Op =
  | { op: 'add'; id: StepId; index: number | undefined }
  | { op: 'remove'; index: number }
  | { op: 'move'; from: number; to: number }
  | { op: 'set'; index: number; key: string; value: unknown }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('add' as const),
    id: fc.constantFrom(...STEP_IDS),
    index: fc.option(fc.integer({ min: -2, max: 12 }), { nil: undefined }),
  }),
  fc.record({ op: fc.constant('remove' as const), index: fc.integer({ min: -1, max: 11 }) }),
  fc.record({ op: fc.constant('move' as const), from: fc.integer({ min: -1, max: 11 }), to: fc.integer({ min: -2, max: 12 }) }),
  fc.record({
    op: fc.constant('set' as const),
    index: fc.integer({ min: -1, max: 11 }),
    key: fc.constantFrom('minimum_age', 'confidence_threshold'),
    value: fc.option(fc.integer(), { nil: undefined }),
  }),
)

function apply(d: Draft, o: Op): Draft {
  switch (o.op) {
    case 'add':
      return o.index === undefined ? addStep(d, o.id) : addStep(d, o.id, o.index)
    case 'remove':
      return removeStep(d, o.index)
    case 'move':
      return moveStep(d, o.from, o.to)
    case 'set':
      return setField(d, o.index, o.key, o.value)
  }
}

describe('properties', () => {
  it('no operation mutates its input; each step stays at most once; available and used steps partition the catalog', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        let d: Draft = deepFreeze(emptyDraft())
        for (const o of ops) {
          const before = JSON.stringify(d)
          const next = apply(d, o)
          expect(JSON.stringify(d)).toBe(before)
          d = deepFreeze(next)
          const ids = d.steps.map((s) => s.id)
          expect(new Set(ids).size).toBe(ids.length)
          expect([...availableSteps(d), ...ids].sort()).toEqual([...STEP_IDS].sort())
          expect(availableSteps(d)).toEqual(STEP_IDS.filter((id) => !ids.includes(id)))
        }
      }),
      RUNS,
    )
  })

  it('moveStep is a permutation that puts the moved step where asked and keeps the others in order', () => {
    fc.assert(
      fc.property(
        draftOf({ valid: true }).chain((d) => fc.tuple(fc.constant(d), fc.nat(d.steps.length - 1), fc.nat(d.steps.length - 1))),
        ([d, from, to]) => {
          const moved = moveStep(d, from, to)
          expect(moved.steps[to]).toBe(d.steps[from])
          expect(moved.steps.filter((_, i) => i !== to)).toEqual(d.steps.filter((_, i) => i !== from))
        },
      ),
      RUNS,
    )
  })

  it('fromWorkflow ∘ toRequest keeps every draft', () => {
    fc.assert(
      fc.property(draftOf({ valid: false }), (d) => {
        const req = toRequest(d) as unknown as Parameters<typeof fromWorkflow>[0]
        const back = fromWorkflow({ name: req.name, steps: req.steps.map((s) => ({ id: s.id, config: s.config ?? {} })) })
        expect(back).toEqual(d)
      }),
      RUNS,
    )
  })
})
