import { parseCreateWorkflow } from '@wf/core'
import { describe, expect, it } from 'vitest'
import { toRequest } from './draft.js'
import { TEMPLATES } from './templates.js'

describe('TEMPLATES', () => {
  it('has the four templates, each id once', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(['kyc-onboarding', 'age-gated', 'screening-only', 'scratch'])
    for (const t of TEMPLATES) {
      expect(t.title).not.toBe('')
      expect(t.description).not.toBe('')
    }
  })

  it.each(TEMPLATES.filter((t) => t.id !== 'scratch'))('$id passes core’s parseCreateWorkflow', (t) => {
    expect(parseCreateWorkflow(toRequest(t.draft))).toMatchObject({ ok: true })
  })

  it('scratch is empty', () => {
    expect(TEMPLATES.find((t) => t.id === 'scratch')!.draft).toEqual({ name: '', steps: [] })
  })

  it('KYC onboarding escalates to an NFC passport scan, with the other checks after ID verification', () => {
    const parsed = parseCreateWorkflow(toRequest(TEMPLATES[0]!.draft))
    if (!parsed.ok) throw new Error('valid')
    expect(parsed.value.steps.map((s) => s.id)).toEqual(['ID_VERIFICATION', 'FACE_LIVENESS', 'PEP_SANCTIONS', 'ADVERSE_MEDIA'])
    expect(parsed.value.steps[0]!.config).toMatchObject({ escalation_type: 'nfc-passport', enable_fraud_analysis: true })
  })
})
