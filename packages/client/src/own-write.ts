/**
 * Recognising a change that happened although its answer was lost.
 *
 * A change sent with `ifVersion: v` whose attempt ended without an answer is retried with the same
 * If-Match. If that attempt had in fact been applied, the retry meets 412: the workflow is now at
 * v + 1 (or later). The audit trail tells whether v + 1 is this change: the client reads versions
 * v and v + 1 and checks that v + 1 is v with exactly what was sent applied (the name, the steps in
 * order, every config value sent found as sent, nothing else changed). Then the call answers with
 * the workflow as that write left it, as the lost answer would have; otherwise the 412 stands.
 *
 * Two writers that send the very same change at the same version cannot be told apart: either way
 * the workflow holds what this call asked for, so answering with it is right.
 *
 * "As sent" allows for what the contract says the server does to what it stores: names are kept
 * trimmed (§2), and `enable_fraud_analysis` is on whenever an escalation is set (§1). The client
 * cannot load @wf/core's resolution at run time (no runtime dependency), so these two rules are
 * restated here; own-write.test.ts holds them against core's resolution on generated requests, so
 * a new rule in core fails that test instead of going unnoticed.
 */
import type { Workflow, WorkflowStep, WorkflowVersion } from '@wf/core'
import { NotFoundError, PreconditionFailedError, type WfError } from './errors.js'
import type { Transport } from './transport.js'

/** Whether `after` is `before` with this call's change applied. */
export type ChangeMatcher = (before: WorkflowVersion, after: WorkflowVersion) => boolean

export async function findOwnWrite(
  transport: Transport,
  id: string,
  ifVersion: number,
  error: WfError,
  matches: ChangeMatcher,
  signal: AbortSignal | undefined,
): Promise<Workflow | undefined> {
  if (!(error instanceof PreconditionFailedError)) return undefined
  const path = `/v1/workflows/${encodeURIComponent(id)}`
  const version = (n: number) =>
    transport
      .request<{ version: WorkflowVersion }>({ method: 'GET', path: `${path}/versions/${n}`, safety: 'idempotent', signal })
      .then((r) => r.version)
  let before: WorkflowVersion
  let after: WorkflowVersion
  try {
    ;[before, after] = await Promise.all([version(ifVersion), version(ifVersion + 1)])
  } catch (e) {
    if (e instanceof NotFoundError) return undefined
    throw e
  }
  if (!matches(before, after)) return undefined
  const { workflow } = await transport.request<{ workflow: Workflow }>({ method: 'GET', path, safety: 'idempotent', signal })
  return { ...workflow, name: after.name, status: after.status, version: after.version, steps: after.steps, updated_at: after.created_at }
}

/** `update(id, { name?, steps? })`: the name as sent, the steps as sent (defaults filled in by the server). */
export function updateMatcher(patch: { name?: string | undefined; steps?: readonly unknown[] | undefined }): ChangeMatcher {
  return (before, after) =>
    after.status === before.status &&
    after.name === (patch.name === undefined ? before.name : storedName(patch.name)) &&
    stepsMatch(patch.steps ?? before.steps, after.steps)
}

/** `updateStepConfig(id, stepId, config)`: that step's config holds what was sent; nothing else changed. */
export function stepConfigMatcher(stepId: string, config: Readonly<Record<string, unknown>>): ChangeMatcher {
  return (before, after) =>
    after.status === before.status &&
    after.name === before.name &&
    stepsMatch(
      before.steps.map((s) => (s.id === stepId ? { id: s.id, config } : s)),
      after.steps,
    )
}

/** `archive(id)`: archived, nothing else changed. */
export const archiveMatcher: ChangeMatcher = (before, after) =>
  after.status === 'archived' && after.name === before.name && stepsMatch(before.steps, after.steps)

/** Same step IDs in the same order, and every config value sent equal to the stored one. */
function stepsMatch(sent: readonly unknown[], stored: readonly WorkflowStep[]): boolean {
  return (
    sent.length === stored.length &&
    sent.every((step, i) => {
      const s = step as { id?: unknown; config?: Record<string, unknown> }
      const kept = stored[i] as { id: string; config: Record<string, unknown> }
      return s.id === kept.id && Object.entries(s.config ?? {}).every(([k, v]) => jsonEqual(storedValue(k, v, kept.config), kept.config[k]))
    })
  )
}

/** A name as the server stores it (contract §2). */
const storedName = (name: string) => name.trim()

/** A config value as the server stores it, given the stored config it became part of (contract §1). */
function storedValue(field: string, sent: unknown, stored: Readonly<Record<string, unknown>>): unknown {
  if (field === 'enable_fraud_analysis' && sent === false && stored.escalation_type !== undefined && stored.escalation_type !== 'none') {
    return true
  }
  return sent
}

/** Deep equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  )
}
