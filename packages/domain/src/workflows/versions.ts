/** Every version ever written of a workflow, immutable (contract §4): all of them, or one. */
import type { WorkflowVersion } from '@wf/core'
import type { Caller, DomainContext } from '../context.js'
import { DomainError } from '../errors.js'
import { getWorkflow, workflowNotFound } from './read.js'

/** Newest first. */
export async function listVersions(ctx: DomainContext, caller: Caller, id: string): Promise<WorkflowVersion[]> {
  const versions = await ctx.store.listVersions(caller.organizationId, id)
  if (versions === undefined) throw workflowNotFound(id)
  return versions
}

/** @param version a positive integer (the caller parsed it) */
export async function getVersion(ctx: DomainContext, caller: Caller, id: string, version: number): Promise<WorkflowVersion> {
  const found = await ctx.store.getVersion(caller.organizationId, id, version)
  if (found === undefined) {
    await getWorkflow(ctx, caller, id) // not found for the workflow itself first
    throw new DomainError('not_found', `Workflow ${id} has no version ${version}.`)
  }
  return found
}
