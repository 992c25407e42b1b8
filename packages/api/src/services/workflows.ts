/**
 * The workflow verbs (contract §4, §8). Each takes the caller and already-parsed input, applies
 * core's rules, talks to the store, and throws ApiError with the contract's code. Handlers only
 * parse HTTP, call these, and shape the response.
 */
import {
  type ResolvedConfigs,
  type StepId,
  type Workflow,
  type WorkflowStep,
  type WorkflowVersion,
  applyStepConfigPatch,
  isStepId,
  parseCreateWorkflow,
  parseStepConfigPatch,
  parseUpdateWorkflow,
} from '@wf/core'
import type { IdempotencyRecord, ListWorkflowsQuery, ListedWorkflow } from '@wf/storage'
import type { Caller, Deps } from '../env.js'
import { ApiError } from '../errors.js'
import { canonicalJson } from '../hash.js'
import { ifMatchAllows } from '../http/if-match.js'
import { oneAtATime } from './one-at-a-time.js'

type Ctx = Pick<Deps, 'store' | 'clock' | 'ids' | 'sha256Hex'>

const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000
/**
 * Without If-Match a write merges onto the latest version; a lost race is retried. On D1 requests
 * really interleave (on better-sqlite3 they cannot), so ten writers to one workflow can each lose
 * several times: enough attempts for that, with a short random pause so they stop colliding.
 */
const WRITE_ATTEMPTS = 25
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * attempt))

export interface Created {
  status: number
  /** The response body exactly as first sent (a replay returns the stored text). */
  body: string
  workflowId: string
  version: number
  replayed: boolean
}

export async function createWorkflow(
  ctx: Ctx,
  caller: Caller,
  input: unknown,
  idempotencyKey: string | undefined,
): Promise<Created> {
  const parsed = parseCreateWorkflow(input)
  if (!parsed.ok) throw ApiError.invalid(parsed.issues)

  const now = ctx.clock.now()
  const nowIso = now.toISOString()
  const workflow: Workflow = {
    id: ctx.ids.workflow(),
    name: parsed.value.name,
    status: 'active',
    organization_id: caller.organizationId,
    version: 1,
    created_by: caller.keyId,
    created_at: nowIso,
    updated_at: nowIso,
    steps: parsed.value.steps,
  }
  const body = JSON.stringify({ workflow })
  if (idempotencyKey === undefined) {
    await ctx.store.insertWorkflow(workflow)
    return { status: 201, body, workflowId: workflow.id, version: workflow.version, replayed: false }
  }

  const requestHash = await ctx.sha256Hex(canonicalJson(input))
  const notBefore = new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS).toISOString()
  const replay = async () => {
    const found = await ctx.store.findIdempotencyRecord(caller.organizationId, idempotencyKey, notBefore)
    return found && replayOf(found, requestHash)
  }
  const earlier = await replay()
  if (earlier) return earlier

  const record: IdempotencyRecord = {
    organization_id: caller.organizationId,
    key: idempotencyKey,
    request_hash: requestHash,
    status: 201,
    body,
    created_at: nowIso,
  }
  const result = await ctx.store.insertWorkflow(workflow, { record, expiredBefore: notBefore })
  if (result.ok) return { status: 201, body, workflowId: workflow.id, version: workflow.version, replayed: false }
  // A concurrent request with the same key won: answer as its retry would be answered.
  const winner = await replay()
  if (winner) return winner
  throw new ApiError('conflict', 'A request with this Idempotency-Key is still in progress; retry it.')
}

function replayOf(record: IdempotencyRecord, requestHash: string): Created {
  if (record.request_hash !== requestHash) throw new ApiError('idempotency_key_reused')
  const { workflow } = JSON.parse(record.body) as { workflow: Workflow }
  return { status: record.status, body: record.body, workflowId: workflow.id, version: workflow.version, replayed: true }
}

const workflowNotFound = (id: string) => new ApiError('not_found', `Workflow ${id} not found.`)

export async function getWorkflow(ctx: Ctx, caller: Caller, id: string): Promise<Workflow> {
  const workflow = await ctx.store.getWorkflow(caller.organizationId, id)
  if (workflow === undefined) throw workflowNotFound(id)
  return workflow
}

/** The workflow as its wire JSON text and its version: a read answered without parse or stringify. */
export async function getWorkflowJson(ctx: Ctx, caller: Caller, id: string): Promise<{ version: number; json: string }> {
  const found = await ctx.store.getWorkflowJson(caller.organizationId, id)
  if (found === undefined) throw workflowNotFound(id)
  return found
}

export async function listWorkflows(
  ctx: Ctx,
  caller: Caller,
  query: ListWorkflowsQuery,
): Promise<{ workflows: ListedWorkflow[]; last: string | null }> {
  // One row more than asked tells whether there is a next page without a count query.
  const rows = await ctx.store.listWorkflows(caller.organizationId, { ...query, limit: query.limit + 1 })
  const workflows = rows.slice(0, query.limit)
  return { workflows, last: rows.length > query.limit ? (workflows.at(-1)?.id ?? null) : null }
}

/** The new name/steps/status, or undefined when nothing would change (no new version is written). */
type Change = (current: Workflow) => Partial<Pick<Workflow, 'name' | 'steps' | 'status'>> | undefined
type ChangeOptions = { archivedIsNoop?: boolean }

/** Changes to one workflow wait for each other in this process (see one-at-a-time.ts). */
const changesOfOneWorkflow = oneAtATime()

function changeWorkflow(ctx: Ctx, caller: Caller, id: string, ifMatch: string | undefined, change: Change, opts: ChangeOptions = {}): Promise<Workflow> {
  return changesOfOneWorkflow(`${caller.organizationId}/${id}`, () => readCheckWrite(ctx, caller, id, ifMatch, change, opts))
}

/** Read, check, compute, write-if-unchanged: the shape of every change. */
async function readCheckWrite(ctx: Ctx, caller: Caller, id: string, ifMatch: string | undefined, change: Change, opts: ChangeOptions): Promise<Workflow> {
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const current = await getWorkflow(ctx, caller, id)
    if (current.status === 'archived') {
      if (opts.archivedIsNoop) return current
      throw new ApiError('conflict', `Workflow ${id} is archived; an archived workflow cannot be changed.`)
    }
    if (!ifMatchAllows(ifMatch, current.version)) {
      throw new ApiError('precondition_failed', `If-Match does not match the workflow's version (${current.version}).`)
    }
    const patch = change(current)
    if (patch === undefined) return current
    const next: Workflow = {
      ...current,
      ...patch,
      version: current.version + 1,
      updated_at: ctx.clock.now().toISOString(),
    }
    if (await ctx.store.updateWorkflow(next, current.version, caller.keyId)) return next
    // Another write landed between our read and our write. With If-Match the caller pinned a
    // version: that is now a 412 (the next loop iteration says so). Without, merge onto the latest.
    await backoff(attempt)
  }
  throw new ApiError('conflict', `Workflow ${id} is being changed by other requests; retry.`)
}

export async function updateWorkflow(
  ctx: Ctx,
  caller: Caller,
  id: string,
  input: unknown,
  ifMatch: string | undefined,
): Promise<Workflow> {
  const parsed = parseUpdateWorkflow(input)
  if (!parsed.ok) throw ApiError.invalid(parsed.issues)
  const { name, steps } = parsed.value
  return changeWorkflow(ctx, caller, id, ifMatch, (current) => {
    const nameChanges = name !== undefined && name !== current.name
    const stepsChange = steps !== undefined && !sameSteps(steps, current.steps)
    if (!nameChanges && !stepsChange) return undefined
    return { name: name ?? current.name, steps: steps ?? current.steps }
  })
}

export async function updateStepConfig(
  ctx: Ctx,
  caller: Caller,
  id: string,
  stepId: string,
  input: unknown,
  ifMatch: string | undefined,
): Promise<Workflow> {
  if (!isStepId(stepId)) {
    throw ApiError.invalid([{ path: '/path/step_id', message: `must be one of the catalog's step IDs; "${stepId}" is not` }])
  }
  // Problems of the body itself are reported before the workflow is looked up (contract §8).
  const shape = parseStepConfigPatch(stepId, input)
  if (!shape.ok) throw ApiError.invalid(shape.issues)
  return changeWorkflow(ctx, caller, id, ifMatch, (current) => {
    const index = current.steps.findIndex((s) => s.id === stepId)
    const step = current.steps[index]
    if (step === undefined) throw new ApiError('not_found', `Workflow ${id} has no ${stepId} step.`)
    const result = applyStepConfigPatch(step.config as ResolvedConfigs[StepId], stepId, input)
    if (!result.ok) throw ApiError.invalid(result.issues)
    if (canonicalJson(result.value) === canonicalJson(step.config)) return undefined
    const steps = current.steps.map((s, i) => (i === index ? ({ id: stepId, config: result.value } as WorkflowStep) : s))
    return { steps }
  })
}

export async function archiveWorkflow(
  ctx: Ctx,
  caller: Caller,
  id: string,
  ifMatch: string | undefined,
): Promise<Workflow> {
  // Archiving an archived workflow is 200 and changes nothing, whatever If-Match says: a retried
  // DELETE must not fail because the first one succeeded.
  return changeWorkflow(ctx, caller, id, ifMatch, () => ({ status: 'archived' }), { archivedIsNoop: true })
}

export async function listVersions(ctx: Ctx, caller: Caller, id: string): Promise<WorkflowVersion[]> {
  const versions = await ctx.store.listVersions(caller.organizationId, id)
  if (versions === undefined) throw workflowNotFound(id)
  return versions
}

export async function getVersion(ctx: Ctx, caller: Caller, id: string, n: string): Promise<WorkflowVersion> {
  if (!/^[1-9]\d{0,8}$/.test(n)) {
    throw ApiError.invalid([{ path: '/path/version', message: 'must be a positive integer' }])
  }
  const version = await ctx.store.getVersion(caller.organizationId, id, Number(n))
  if (version === undefined) {
    await getWorkflow(ctx, caller, id) // 404 for the workflow itself first
    throw new ApiError('not_found', `Workflow ${id} has no version ${n}.`)
  }
  return version
}

function sameSteps(a: WorkflowStep[], b: WorkflowStep[]): boolean {
  return canonicalJson(a) === canonicalJson(b)
}
