/**
 * Change one step's config (contract §4, §8): the given fields are merged onto the stored, resolved
 * config, which is then resolved and checked again. Problems of the body itself come before the
 * workflow is looked up; the rules that need the stored config after.
 */
import { applyStepConfigPatch, parseStepConfigPatch, type ResolvedConfigs, type StepId, type Workflow, type WorkflowStep } from '@wf/core'
import { canonicalJson } from '../canonical-json.js'
import type { Caller, DomainContext } from '../context.js'
import { DomainError } from '../errors.js'
import { changeWorkflow, type VersionCondition } from './change.js'

export async function updateStepConfig(
  ctx: DomainContext,
  caller: Caller,
  id: string,
  stepId: StepId,
  input: unknown,
  condition?: VersionCondition,
): Promise<Workflow> {
  const shape = parseStepConfigPatch(stepId, input)
  if (!shape.ok) throw DomainError.invalid(shape.issues)
  return changeWorkflow(ctx, caller, id, condition, (current) => {
    const index = current.steps.findIndex((s) => s.id === stepId)
    const step = current.steps[index]
    if (step === undefined) throw new DomainError('not_found', `Workflow ${id} has no ${stepId} step.`)
    const result = applyStepConfigPatch(step.config as ResolvedConfigs[StepId], stepId, input)
    if (!result.ok) throw DomainError.invalid(result.issues)
    if (canonicalJson(result.value) === canonicalJson(step.config)) return undefined
    const steps = current.steps.map((s, i) => (i === index ? ({ id: stepId, config: result.value } as WorkflowStep) : s))
    return { steps }
  })
}
