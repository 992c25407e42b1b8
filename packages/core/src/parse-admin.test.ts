import { describe, expect, it } from 'vitest'
import { parseCreateApiKey, parseCreateOrganization } from './parse-admin.js'
import { parseCreateWorkflow } from './parse-workflow.js'

// One rule for every name: an organization's or a key's name is judged exactly as a workflow's.
const names: unknown[] = [
  'Acme',
  '  Acme  ',
  '',
  ' \t ',
  'x'.repeat(255),
  'x'.repeat(256),
  '😀'.repeat(255),
  '😀'.repeat(256),
  'a\uD800b',
  '\uDC00',
  '\uD83D\uDE00',
  42,
  null,
  ['x'],
]

describe('admin names follow the workflow name rule', () => {
  it.each(names.map((n) => [n]))('%j', (name) => {
    const workflow = parseCreateWorkflow({ name, steps: [] })
    const workflowIssue = workflow.ok ? undefined : workflow.issues.find((i) => i.path === '/name')
    const org = parseCreateOrganization({ name })
    expect(org.ok ? undefined : org.issues[0]).toEqual(workflowIssue)
    if (name === null) return // a null key name means "no name"
    const key = parseCreateApiKey({ mode: 'live', name })
    expect(key.ok ? undefined : key.issues[0]).toEqual(workflowIssue)
    if (org.ok) expect(org.value.name).toBe((name as string).trim())
  })

  it('a lone surrogate in an organization name is refused', () => {
    expect(parseCreateOrganization({ name: '\uD800' })).toEqual({
      ok: false,
      issues: [{ path: '/name', message: 'must be valid Unicode text: it contains a lone surrogate' }],
    })
  })
})

describe('admin bodies', () => {
  it('refuses what is not an object, unknown fields and a bad mode', () => {
    expect(parseCreateOrganization([])).toMatchObject({ ok: false, issues: [{ path: '' }] })
    expect(parseCreateOrganization({ name: 'A', extra: 1 })).toMatchObject({ ok: false, issues: [{ path: '/extra' }] })
    expect(parseCreateApiKey({ mode: 'test' })).toMatchObject({
      ok: false,
      issues: [{ path: '/mode', message: 'must be one of "live", "sandbox"' }],
    })
    expect(parseCreateApiKey({ mode: 'sandbox', 'a/b': 1 })).toMatchObject({ ok: false, issues: [{ path: '/a~1b' }] })
  })

  it('takes a key without a name, or with a null one, as unnamed', () => {
    expect(parseCreateApiKey({ mode: 'sandbox' })).toEqual({ ok: true, value: { mode: 'sandbox', name: null } })
    expect(parseCreateApiKey({ mode: 'live', name: null })).toEqual({ ok: true, value: { mode: 'live', name: null } })
  })
})
