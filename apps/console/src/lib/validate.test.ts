import { type Issue, MAX_ISSUES, parseCreateWorkflow } from '@wf/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Draft, toRequest } from './draft.js'
import { stepForm } from './form.js'
import { draftOf } from './testing/arbitraries.js'
import { check, resolvedPreview } from './validate.js'

const RUNS = { numRuns: 300 }

/** Core's issues for the draft's request: the messages the console must show unchanged. */
function coreIssues(d: Draft): Issue[] {
  const r = parseCreateWorkflow(toRequest(d))
  return r.ok ? [] : r.issues
}
const at = (d: Draft, path: string) =>
  coreIssues(d)
    .filter((i) => i.path === path)
    .map((i) => i.message)

const valid: Draft = {
  name: '  Onboarding ',
  steps: [
    { id: 'ID_VERIFICATION', config: { escalation_type: 'nfc-passport' } },
    { id: 'FACE_LIVENESS', config: { confidence_threshold: 80 } },
  ],
}

describe('check', () => {
  it('a valid draft: ok, no problems, resolved as core stores it', () => {
    const c = check(valid)
    const parsed = parseCreateWorkflow(toRequest(valid))
    expect(c.ok).toBe(true)
    expect(c.issues).toEqual([])
    expect(c.summary).toEqual([])
    expect(c.nameErrors).toEqual([])
    expect(c.stepErrors(0)).toEqual([])
    expect(c.problemsInStep(0)).toBe(0)
    expect(c.fieldErrors(1, 'confidence_threshold')).toEqual([])
    expect(parsed.ok && c.resolved).toEqual(parsed.ok && parsed.value)
    expect(c.resolved!.name).toBe('Onboarding')
  })

  it('name problems show on the name', () => {
    const d = { ...valid, name: '   ' }
    const c = check(d)
    expect(c.ok).toBe(false)
    expect(c.resolved).toBeUndefined()
    expect(c.nameErrors).toEqual(at(d, '/name'))
    expect(c.nameErrors).toHaveLength(1)
    expect(c.summary).toEqual([{ path: '/name', message: c.nameErrors[0], label: 'Name' }])
  })

  it('a list with no steps shows on the list', () => {
    const d = { name: 'x', steps: [] }
    const c = check(d)
    expect(c.listErrors).toEqual(at(d, '/steps'))
    expect(c.summary[0]!.label).toBe('Steps')
  })

  it('a value out of range shows on its field, labelled with the step and the field', () => {
    const d: Draft = { ...valid, steps: [...valid.steps.slice(0, 1), { id: 'FACE_LIVENESS', config: { confidence_threshold: 0 } }] }
    const c = check(d)
    expect(c.fieldErrors(1, 'confidence_threshold')).toEqual(at(d, '/steps/1/config/confidence_threshold'))
    expect(c.fieldErrors(1, 'confidence_threshold')).toHaveLength(1)
    expect(c.stepErrors(1)).toEqual([])
    // The step's row counts its fields' problems; the other step has none.
    expect([c.problemsInStep(0), c.problemsInStep(1)]).toEqual([0, 1])
    expect(c.summary).toEqual([
      {
        path: '/steps/1/config/confidence_threshold',
        message: c.fieldErrors(1, 'confidence_threshold')[0],
        label: 'Face liveness › Confidence threshold',
      },
    ])
  })

  it('the age check shows on the range field, whichever of its two keys core names', () => {
    const d: Draft = { name: 'x', steps: [{ id: 'ID_VERIFICATION', config: { maximum_age: 16 } }] }
    const c = check(d)
    const messages = at(d, '/steps/0/config/maximum_age')
    expect(messages).toHaveLength(1)
    expect(c.fieldErrors(0, 'minimum_age')).toEqual(messages)
    expect(c.fieldErrors(0, 'maximum_age')).toEqual(messages)
    expect(c.summary[0]!.label).toBe('ID verification › Age range')
  })

  it('a duplicate step and an unknown config key show on the step', () => {
    const d: Draft = {
      name: 'x',
      steps: [
        { id: 'PEP_SANCTIONS', config: {} },
        { id: 'FACE_LIVENESS', config: { confidence: 3 } },
        { id: 'PEP_SANCTIONS', config: {} },
      ],
    }
    const c = check(d)
    expect(c.stepErrors(2)).toEqual(at(d, '/steps/2/id'))
    expect(c.stepErrors(1)).toEqual(at(d, '/steps/1/config/confidence').map((m) => `confidence ${m}`))
    expect(c.summary.map((s) => s.label)).toEqual(['Face liveness › confidence', 'PEP and sanctions screening'])
    expect(c.stepErrors(0)).toEqual([])
  })

  it('every issue of core shows in exactly one place, with core’s message', () => {
    fc.assert(
      fc.property(draftOf({ valid: false }), (d) => {
        const c = check(d)
        expect(c.issues).toEqual(coreIssues(d))
        expect(c.ok).toBe(c.issues.length === 0)
        expect(c.summary.map((s) => ({ path: s.path, message: s.message }))).toEqual(c.issues)
        const shown = [
          ...c.nameErrors,
          ...c.listErrors,
          ...c.formErrors,
          ...d.steps.flatMap((s, i) => [...c.stepErrors(i), ...stepForm(s.id).flatMap((f) => c.fieldErrors(i, f.key))]),
        ]
        expect(shown).toHaveLength(c.issues.length)
        // A field shows core's message unchanged; elsewhere the message may be preceded by the key it is about.
        for (const text of shown) expect(c.issues.some((i) => text === i.message || text.endsWith(` ${i.message}`))).toBe(true)
        for (const s of c.summary) expect(s.label).not.toBe('')
      }),
      RUNS,
    )
  })
})

describe('resolvedPreview', () => {
  it('is check(d).resolved when the draft is valid', () => {
    fc.assert(
      fc.property(draftOf({ valid: true }), (d) => {
        const c = check(d)
        if (c.ok) expect(resolvedPreview(d)).toEqual(c.resolved)
      }),
      RUNS,
    )
  })

  it('resolves each step core accepts even while other parts are invalid', () => {
    const d: Draft = {
      name: '',
      steps: [
        { id: 'FACE_LIVENESS', config: { confidence_threshold: 500 } },
        { id: 'AGE_ESTIMATION', config: { minimum_age: 21 } },
      ],
    }
    const preview = resolvedPreview(d)
    expect(preview.name).toBe('')
    expect(preview.steps).toEqual([undefined, { id: 'AGE_ESTIMATION', config: { minimum_age: 21 } }])
  })

  it('each step is undefined exactly where core reports a problem in its config', () => {
    fc.assert(
      fc.property(draftOf({ valid: false }), (d) => {
        const preview = resolvedPreview(d)
        const issues = coreIssues(d)
        expect(preview.steps).toHaveLength(d.steps.length)
        d.steps.forEach((s, i) => {
          const alone = parseCreateWorkflow({ name: 'x', steps: [toRequest({ name: 'x', steps: [s] }).steps[0]] })
          expect(preview.steps[i]).toEqual(alone.ok ? alone.value.steps[0] : undefined)
          const inConfig = issues.some((issue) => issue.path === `/steps/${i}/config` || issue.path.startsWith(`/steps/${i}/config/`))
          if (inConfig) expect(preview.steps[i]).toBeUndefined()
          else if (issues.length < MAX_ISSUES) expect(preview.steps[i]).toBeDefined()
        })
      }),
      RUNS,
    )
  })
})
