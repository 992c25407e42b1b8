/**
 * The shape of every change to a workflow: read, check (archived, the caller's precondition),
 * compute, write if unchanged since the read. Changes to one workflow queue in the app
 * (`ctx.changes`); across processes the store's conditional write decides, and a lost race merges
 * onto the latest version, or is refused when the caller pinned a version.
 */
import type { Workflow } from '@wf/core'
import type { Caller, DomainContext } from '../context.js'
import { DomainError } from '../errors.js'
import { getWorkflow } from './read.js'

/**
 * The caller's condition on the current version (If-Match over HTTP): whether a write to a
 * workflow at this version may go ahead. Absent: any version.
 */
export type VersionCondition = (version: number) => boolean

/** The new name/steps/status, or undefined when nothing would change (no new version is written). */
export type Change = (current: Workflow) => Partial<Pick<Workflow, 'name' | 'steps' | 'status'>> | undefined

/**
 * Without a condition a write merges onto the latest version; a lost race is retried. On D1
 * requests really interleave, so ten writers to one workflow can each lose several times: enough
 * attempts for that, with a short random pause so they stop colliding.
 */
const WRITE_ATTEMPTS = 25
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * attempt))

export function changeWorkflow(
  ctx: DomainContext,
  caller: Caller,
  id: string,
  condition: VersionCondition | undefined,
  change: Change,
  opts: { archivedIsNoop?: boolean } = {},
): Promise<Workflow> {
  return ctx.changes(`${caller.organizationId}/${id}`, async () => {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const current = await getWorkflow(ctx, caller, id)
      if (current.status === 'archived') {
        if (opts.archivedIsNoop) return current
        throw new DomainError('conflict', `Workflow ${id} is archived; an archived workflow cannot be changed.`)
      }
      if (condition !== undefined && !condition(current.version)) {
        throw new DomainError('precondition_failed', `If-Match does not match the workflow's version (${current.version}).`)
      }
      const patch = change(current)
      if (patch === undefined) return current
      const next: Workflow = { ...current, ...patch, version: current.version + 1, updated_at: ctx.clock.now().toISOString() }
      if (await ctx.store.updateWorkflow(next, current.version, caller.keyId)) return next
      // Another write landed between our read and our write. With a condition the caller pinned a
      // version: the next iteration refuses it. Without, merge onto the latest.
      await backoff(attempt)
    }
    throw new DomainError('conflict', `Workflow ${id} is being changed by other requests; retry.`)
  })
}
