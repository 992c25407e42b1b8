/**
 * Records for the contract suite. Ids are unique per call and sort in call order, like the app's
 * ULIDs, so tests never collide on a shared database (D1 in workerd may keep one per file) and
 * "newest first" is predictable. Timestamps are fixed, so results compare exactly.
 */
import type { Workflow, WorkflowStep, WorkflowSummary, WorkflowVersion } from '@wf/core'
import { defaultStepConfig } from '@wf/core'
import { expect } from 'vitest'
import type { ApiKey, IdempotencyRecord, ListWorkflowsQuery, Organization, Store } from '../types.js'

// This run's prefix: time first, so a later run's ids sort after an earlier run's.
const RUN = Date.now().toString(36).padStart(9, '0') + Math.random().toString(36).slice(2, 6).padEnd(4, '0')
let counter = 0

export function uniqueId(prefix: 'wf' | 'org' | 'key'): string {
  counter += 1
  return `${prefix}_${RUN}${counter.toString().padStart(8, '0')}`
}

/** An ISO timestamp `minute` minutes into a fixed day. */
export function at(minute: number): string {
  return new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString()
}

export const STEPS: WorkflowStep[] = [
  {
    id: 'ID_VERIFICATION',
    config: { ...defaultStepConfig('ID_VERIFICATION'), enable_fraud_analysis: true, escalation_type: 'nfc-passport' },
  },
  { id: 'FACE_LIVENESS', config: { confidence_threshold: 70 } },
  { id: 'PEP_SANCTIONS', config: {} },
]

export async function newOrganization(store: Store): Promise<Organization> {
  const org = { id: uniqueId('org'), name: 'Acme Ltd', created_at: at(0) }
  await store.createOrganization(org)
  return org
}

export function newApiKey(organization_id: string, fields: Partial<ApiKey> = {}): ApiKey {
  return {
    id: uniqueId('key'),
    organization_id,
    mode: 'live',
    name: 'CI',
    prefix: 'wf_live_ab12',
    created_at: at(1),
    revoked_at: null,
    ...fields,
  }
}

export function newWorkflow(organization_id: string, fields: Partial<Workflow> = {}): Workflow {
  return {
    id: uniqueId('wf'),
    name: 'Onboarding',
    status: 'active',
    organization_id,
    version: 1,
    created_by: 'key_creator',
    created_at: at(2),
    updated_at: at(2),
    steps: STEPS,
    ...fields,
  }
}

/** The workflow as a write based on `w` would leave it: version + 1, a later updated_at. */
export function nextVersion(w: Workflow, fields: Partial<Workflow> = {}): Workflow {
  return { ...w, version: w.version + 1, updated_at: at(10 + w.version), ...fields }
}

export function summaryOf(w: Workflow): WorkflowSummary {
  const { id, name, status, version, created_at, updated_at } = w
  return { id, name, status, version, steps: w.steps.map((s) => s.id), created_at, updated_at }
}

export function versionOf(w: Workflow, created_by: string): WorkflowVersion {
  const { version, name, status, steps } = w
  return { version, name, status, steps, created_by, created_at: w.updated_at }
}

export function newIdempotencyRecord(organization_id: string, key: string, created_at: string): IdempotencyRecord {
  return {
    organization_id,
    key,
    request_hash: `hash-${created_at}`,
    status: 201,
    body: JSON.stringify({ workflow: { created_at } }),
    created_at,
  }
}

/**
 * A list page as parsed summaries, after checking what the wire relies on: each item's JSON text
 * is a summary of the id it is listed under, with its keys in the wire order.
 */
export async function listSummaries(store: Store, organizationId: string, query: ListWorkflowsQuery): Promise<WorkflowSummary[]> {
  return (await store.listWorkflows(organizationId, query)).map(({ id, json }) => {
    const summary = JSON.parse(json) as WorkflowSummary
    expect(summary.id).toBe(id)
    expect(Object.keys(summary)).toStrictEqual(['id', 'name', 'status', 'version', 'steps', 'created_at', 'updated_at'])
    return summary
  })
}

/** getWorkflowJson's answer, parsed, with its version checked against the JSON's own. */
export async function workflowFromJson(store: Store, organizationId: string, id: string): Promise<Workflow | undefined> {
  const found = await store.getWorkflowJson(organizationId, id)
  if (found === undefined) return undefined
  const workflow = JSON.parse(found.json) as Workflow
  expect(found.version).toBe(workflow.version)
  expect(Object.keys(workflow)).toStrictEqual([
    'id',
    'name',
    'status',
    'organization_id',
    'version',
    'created_by',
    'created_at',
    'updated_at',
    'steps',
  ])
  return workflow
}
