/** Rename a workflow or replace its steps (contract §4); a request that changes nothing writes no version. */
import { parseUpdateWorkflow, type Workflow, type WorkflowStep } from '@wf/core'
import { canonicalJson } from '../canonical-json.js'
import type { Caller, DomainContext } from '../context.js'
import { DomainError } from '../errors.js'
import { changeWorkflow, type VersionCondition } from './change.js'

export async function updateWorkflow(
  ctx: DomainContext,
  caller: Caller,
  id: string,
  input: unknown,
  condition?: VersionCondition,
): Promise<Workflow> {
  const parsed = parseUpdateWorkflow(input)
  if (!parsed.ok) throw DomainError.invalid(parsed.issues)
  const { name, steps } = parsed.value
  return changeWorkflow(ctx, caller, id, condition, (current) => {
    const nameChanges = name !== undefined && name !== current.name
    const stepsChange = steps !== undefined && !sameSteps(steps, current.steps)
    if (!nameChanges && !stepsChange) return undefined
    return { name: name ?? current.name, steps: steps ?? current.steps }
  })
}

function sameSteps(a: WorkflowStep[], b: WorkflowStep[]): boolean {
  return canonicalJson(a) === canonicalJson(b)
}
