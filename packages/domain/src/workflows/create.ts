/**
 * Create a workflow (contract §4), optionally idempotent: a retry with the same key and the same
 * body within 24 hours returns the first answer; the same key with another body is refused.
 */
import { parseCreateWorkflow, type Workflow } from '@wf/core'
import type { IdempotencyRecord } from '@wf/storage'
import { canonicalJson } from '../canonical-json.js'
import type { Caller, DomainContext } from '../context.js'
import { DomainError } from '../errors.js'

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000

export interface Created {
  status: number
  /** The response body exactly as first sent (a replay returns the stored text). */
  body: string
  workflowId: string
  version: number
  replayed: boolean
}

export async function createWorkflow(ctx: DomainContext, caller: Caller, input: unknown, idempotencyKey?: string): Promise<Created> {
  const parsed = parseCreateWorkflow(input)
  if (!parsed.ok) throw DomainError.invalid(parsed.issues)

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
  throw new DomainError('conflict', 'A request with this Idempotency-Key is still in progress; retry it.')
}

function replayOf(record: IdempotencyRecord, requestHash: string): Created {
  if (record.request_hash !== requestHash) throw new DomainError('idempotency_key_reused')
  const { workflow } = JSON.parse(record.body) as { workflow: Workflow }
  return { status: record.status, body: record.body, workflowId: workflow.id, version: workflow.version, replayed: true }
}
