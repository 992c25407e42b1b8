/** A realistic create request using every step: for documentation, tests and benchmarks alike. */
import type { CreateWorkflowRequest } from './schemas.js'

export const EXAMPLE_CREATE_WORKFLOW = {
  name: 'Standard onboarding',
  steps: [
    { id: 'ID_VERIFICATION', config: { minimum_age: 21, escalation_type: 'nfc-passport' } },
    { id: 'FACE_LIVENESS', config: { confidence_threshold: 80 } },
    { id: 'AGE_ESTIMATION' },
    { id: 'PEP_SANCTIONS' },
    { id: 'ADVERSE_MEDIA', config: {} },
  ],
} as const satisfies CreateWorkflowRequest
