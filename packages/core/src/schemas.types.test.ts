// Compile-time checks (run by `tsc --noEmit` in the typecheck task) that the static types of the
// schemas are what a caller would write by hand; the runtime assertions keep vitest honest.
import type { Static } from 'typebox'
import { describe, expectTypeOf, it } from 'vitest'
import type { ResolvedConfigs, StepId } from './catalog.js'
import type { ParseResult } from './issues.js'
import type { ResolvedCreateWorkflow } from './parse-workflow.js'
import { parseCreateWorkflow } from './parse-workflow.js'
import type {
  CreateWorkflowRequest as CreateSchema,
  CreateWorkflowRequest,
  UpdateStepConfigRequest,
  Workflow,
  WorkflowStep,
} from './schemas.js'

describe('static types', () => {
  it('CreateWorkflowRequest is what a caller writes', () => {
    expectTypeOf<Static<typeof CreateSchema>>().toEqualTypeOf<CreateWorkflowRequest>()
    const request: CreateWorkflowRequest = {
      name: 'Onboarding',
      steps: [
        { id: 'ID_VERIFICATION', config: { minimum_age: 21, escalation_type: 'nfc-passport' } },
        { id: 'FACE_LIVENESS' },
        { id: 'PEP_SANCTIONS', config: {} },
      ],
    }
    expectTypeOf(request.steps[0]!.id).toEqualTypeOf<StepId>()
    // @ts-expect-error a step ID outside the catalog
    const badId: CreateWorkflowRequest = { name: 'x', steps: [{ id: 'DOCUMENT' }] }
    // @ts-expect-error a field of another step
    const badField: CreateWorkflowRequest = { name: 'x', steps: [{ id: 'FACE_LIVENESS', config: { minimum_age: 1 } }] }
    // @ts-expect-error escalation_type is an enum
    const badEnum: CreateWorkflowRequest = { name: 'x', steps: [{ id: 'ID_VERIFICATION', config: { escalation_type: 'sms' } }] }
    void [badId, badField, badEnum]
  })

  it('a resolved step narrows its config by its id', () => {
    const step = {} as WorkflowStep
    if (step.id === 'FACE_LIVENESS') expectTypeOf(step.config).toEqualTypeOf<ResolvedConfigs['FACE_LIVENESS']>()
    if (step.id === 'ID_VERIFICATION') expectTypeOf(step.config.escalation_type).toEqualTypeOf<'none' | 'nfc-passport'>()
    expectTypeOf<Workflow['status']>().toEqualTypeOf<'active' | 'archived'>()
    expectTypeOf<Workflow['steps']>().toEqualTypeOf<WorkflowStep[]>()
  })

  it('parseCreateWorkflow returns a discriminated result', () => {
    expectTypeOf(parseCreateWorkflow).returns.toEqualTypeOf<ParseResult<ResolvedCreateWorkflow>>()
    expectTypeOf<UpdateStepConfigRequest['config']>().not.toBeAny()
  })
})
