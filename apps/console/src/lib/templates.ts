/**
 * Starting points for a new workflow. Each sets only what differs from core's defaults, so a
 * template follows the catalog's defaults as they change.
 */
import type { Draft } from './draft.js'

export interface Template {
  id: string
  title: string
  description: string
  draft: Draft
}

export const TEMPLATES: Template[] = [
  {
    id: 'kyc-onboarding',
    title: 'KYC onboarding',
    description:
      'The full check for a new customer: ID verification with fraud analysis escalating high-risk IDs to an NFC passport scan, face liveness, PEP and sanctions screening, adverse media screening.',
    draft: {
      name: 'KYC onboarding',
      steps: [
        { id: 'ID_VERIFICATION', config: { enable_fraud_analysis: true, escalation_type: 'nfc-passport' } },
        { id: 'FACE_LIVENESS', config: {} },
        { id: 'PEP_SANCTIONS', config: {} },
        { id: 'ADVERSE_MEDIA', config: {} },
      ],
    },
  },
  {
    id: 'age-gated',
    title: 'Age-gated access',
    description: 'No ID needed: face liveness proves a live person, then biometric age estimation checks the minimum age.',
    draft: {
      name: 'Age-gated access',
      steps: [
        { id: 'FACE_LIVENESS', config: {} },
        { id: 'AGE_ESTIMATION', config: {} },
      ],
    },
  },
  {
    id: 'screening-only',
    title: 'Screening only',
    description: 'For people already identified: PEP and sanctions screening and adverse media screening.',
    draft: {
      name: 'Screening only',
      steps: [
        { id: 'PEP_SANCTIONS', config: {} },
        { id: 'ADVERSE_MEDIA', config: {} },
      ],
    },
  },
  {
    id: 'scratch',
    title: 'Start from scratch',
    description: 'An empty workflow: name it and add steps from the catalog.',
    draft: { name: '', steps: [] },
  },
]
