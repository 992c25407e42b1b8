/** Reading workflows of the caller's organization: one, one as stored JSON text, a page. */
import type { Workflow } from '@wf/core'
import type { ListedWorkflow, ListWorkflowsQuery } from '@wf/storage'
import type { Caller, DomainContext } from '../context.js'
import { DomainError } from '../errors.js'

/** Another organization's workflow is not found either: it does not exist for this caller. */
export const workflowNotFound = (id: string) => new DomainError('not_found', `Workflow ${id} not found.`)

export async function getWorkflow(ctx: DomainContext, caller: Caller, id: string): Promise<Workflow> {
  const workflow = await ctx.store.getWorkflow(caller.organizationId, id)
  if (workflow === undefined) throw workflowNotFound(id)
  return workflow
}

/** The workflow as its wire JSON text and its version: a read answered without parse or stringify. */
export async function getWorkflowJson(ctx: DomainContext, caller: Caller, id: string): Promise<{ version: number; json: string }> {
  const found = await ctx.store.getWorkflowJson(caller.organizationId, id)
  if (found === undefined) throw workflowNotFound(id)
  return found
}

/** A page, newest first; `last` is the id to continue after, or null on the last page. */
export async function listWorkflows(
  ctx: DomainContext,
  caller: Caller,
  query: ListWorkflowsQuery,
): Promise<{ workflows: ListedWorkflow[]; last: string | null }> {
  // One row more than asked tells whether there is a next page without a count query.
  const rows = await ctx.store.listWorkflows(caller.organizationId, { ...query, limit: query.limit + 1 })
  const workflows = rows.slice(0, query.limit)
  return { workflows, last: rows.length > query.limit ? (workflows.at(-1)?.id ?? null) : null }
}
