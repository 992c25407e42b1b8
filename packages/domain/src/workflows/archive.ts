/** Archive a workflow (contract §4): it stays readable; archiving again changes nothing. */
import type { Workflow } from '@wf/core'
import type { Caller, DomainContext } from '../context.js'
import { changeWorkflow, type VersionCondition } from './change.js'

export function archiveWorkflow(ctx: DomainContext, caller: Caller, id: string, condition?: VersionCondition): Promise<Workflow> {
  // Archiving an archived workflow succeeds and changes nothing, whatever the condition: a retried
  // archive must not fail because the first one succeeded.
  return changeWorkflow(ctx, caller, id, condition, () => ({ status: 'archived' }), { archivedIsNoop: true })
}
