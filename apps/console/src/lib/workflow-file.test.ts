import { EXAMPLE_CREATE_WORKFLOW, parseCreateWorkflow } from '@wf/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Draft, toRequest } from './draft.js'
import { draftOf } from './testing/arbitraries.js'
import { check } from './validate.js'
import { fileName, fromFileText, toFileText } from './workflow-file.js'

const RUNS = { numRuns: 300 }
const draft: Draft = {
  name: 'Standard onboarding',
  steps: [
    { id: 'ID_VERIFICATION', config: { minimum_age: 21 } },
    { id: 'PEP_SANCTIONS', config: {} },
  ],
}

/** Core's message at a path for this input. */
function coreMessage(input: unknown, path: string): string {
  const r = parseCreateWorkflow(input)
  return (!r.ok && r.issues.find((i) => i.path === path)?.message) || ''
}

describe('toFileText', () => {
  it('is the create request, pretty, with a trailing newline', () => {
    const t = toFileText(draft)
    expect(t).toBe(`${JSON.stringify(toRequest(draft), null, 2)}\n`)
    expect(t.endsWith('}\n')).toBe(true)
  })

  it('is what `wf validate` reads: core decides on the file as on the draft', () => {
    fc.assert(
      fc.property(draftOf({ valid: false }), (d) => {
        const r = parseCreateWorkflow(JSON.parse(toFileText(d)))
        expect(r.ok ? [] : r.issues).toEqual(check(d).issues)
      }),
      RUNS,
    )
  })
})

describe('fromFileText', () => {
  it('opens what toFileText wrote, as it was, with core’s problems if any', () => {
    fc.assert(
      fc.property(draftOf({ valid: false }), (d) => {
        const opened = fromFileText(toFileText(d))
        expect(opened.ok).toBe(true)
        if (!opened.ok) return
        expect(opened.draft).toEqual(d)
        expect(opened.problems).toHaveLength(check(d).issues.length)
      }),
      RUNS,
    )
  })

  it('opens the example, and a file with a byte-order mark', () => {
    const text = JSON.stringify(EXAMPLE_CREATE_WORKFLOW)
    expect(fromFileText(text)).toMatchObject({ ok: true, problems: [] })
    expect(fromFileText(`\uFEFF${text}`)).toMatchObject({ ok: true, problems: [] })
  })

  it('invalid JSON: one clear problem', () => {
    const opened = fromFileText('{"name": "x",')
    expect(opened.ok).toBe(false)
    expect(opened.problems).toHaveLength(1)
    expect(opened.problems[0]).toMatch(/^The file is not valid JSON: /)
  })

  it('a file core rejects but of the right shape opens, with core’s problems and where they are', () => {
    const input = { name: '', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 500 } }], status: 'active' }
    const opened = fromFileText(JSON.stringify(input))
    expect(opened).toEqual({
      ok: true,
      draft: { name: '', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 500 } }] },
      problems: [
        `status: ${coreMessage(input, '/status')}`,
        `Name: ${coreMessage(input, '/name')}`,
        `Face liveness › Confidence threshold: ${coreMessage(input, '/steps/0/config/confidence_threshold')}`,
      ],
    })
  })

  it('a missing name or missing steps open as empty, with core’s problem', () => {
    const opened = fromFileText('{}')
    expect(opened).toMatchObject({ ok: true, draft: { name: '', steps: [] } })
    expect(opened.problems).toEqual([`Name: ${coreMessage({}, '/name')}`, `Steps: ${coreMessage({}, '/steps')}`])
  })

  it.each([
    ['not an object', [], ''],
    ['a string', '"workflow"', ''],
    ['a name that is not text', { name: 5, steps: [] }, '/name'],
    ['steps not a list', { name: 'x', steps: {} }, '/steps'],
    ['a step that is not an object', { name: 'x', steps: ['FACE_LIVENESS'] }, '/steps/0'],
    ['an unknown step id', { name: 'x', steps: [{ id: 'face_liveness' }] }, '/steps/0/id'],
    ['a config that is not an object', { name: 'x', steps: [{ id: 'FACE_LIVENESS', config: [] }] }, '/steps/0/config'],
  ])('%s: not opened, and core says why', (_, input, path) => {
    const text = typeof input === 'string' ? input : JSON.stringify(input)
    const opened = fromFileText(text)
    expect(opened.ok).toBe(false)
    expect(opened.problems[0]).toMatch(/^The file cannot be opened/)
    expect(opened.problems.some((p) => p.endsWith(`: ${coreMessage(JSON.parse(text), path)}`))).toBe(true)
  })

  it('never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (t) => {
          const opened = fromFileText(t)
          expect(opened.ok || opened.problems.length > 0).toBe(true)
        },
      ),
      RUNS,
    )
  })
})

describe('fileName', () => {
  it.each([
    ['Standard onboarding', 'standard-onboarding.workflow.json'],
    ['  KYC / AML (EU) – v2 ', 'kyc-aml-eu-v2.workflow.json'],
    ['Überprüfung Ärzte', 'uberprufung-arzte.workflow.json'],
    ['', 'workflow.workflow.json'],
    ['../../etc/passwd', 'etc-passwd.workflow.json'],
    ['???', 'workflow.workflow.json'],
  ])('%j → %s', (name, file) => {
    expect(fileName({ name, steps: [] })).toBe(file)
  })

  it('is always a safe file name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const f = fileName({ name, steps: [] })
        expect(f).toMatch(/^[^-./\\\s][^/\\\s]*\.workflow\.json$/u)
        expect(f.endsWith('-.workflow.json')).toBe(false)
        expect(f.length).toBeLessThanOrEqual(80 + '.workflow.json'.length)
        expect(f).not.toMatch(/[\p{C}]/u)
      }),
      RUNS,
    )
  })
})
