/**
 * The wire order of each read's fields, and a workflow as a row: one definition for both dialects
 * (columns.ts for SQLite, pg/columns.ts for PostgreSQL), so the engines cannot drift apart in
 * what they select or in the key order of the JSON they answer.
 */
import type { Workflow } from '@wf/core'

export const API_KEY_FIELDS = ['id', 'organization_id', 'mode', 'name', 'prefix', 'created_at', 'revoked_at'] as const
export const WORKFLOW_FIELDS = [
  'id',
  'name',
  'status',
  'organization_id',
  'version',
  'created_by',
  'created_at',
  'updated_at',
  'steps',
] as const
/** A list item: `steps` is read from the `step_ids` column, so no config is read. */
export const SUMMARY_FIELDS = ['id', 'name', 'status', 'version', 'steps', 'created_at', 'updated_at'] as const
export const VERSION_FIELDS = ['version', 'name', 'status', 'steps', 'created_by', 'created_at'] as const

/**
 * `table`'s columns named by `fields`, in that order (drizzle selects and JSON keys follow it);
 * `renamed` reads a field from another column (the summary's steps from step_ids).
 */
export function columnsOf<
  T extends object,
  const F extends readonly (keyof T & string)[],
  const R extends { [K in F[number]]?: keyof T } = Record<never, never>,
>(table: T, fields: F, renamed?: R): { [K in F[number]]: K extends keyof R ? T[R[K] & keyof T] : T[K] } {
  const from = (renamed ?? {}) as Record<string, keyof T>
  return Object.fromEntries(fields.map((field) => [field, table[from[field] ?? field]])) as never
}

/** Every column of a workflow row, from the workflow: the record plus its step ids. */
export interface WorkflowRow {
  id: string
  organization_id: string
  name: string
  status: Workflow['status']
  version: number
  created_by: string
  created_at: string
  updated_at: string
  steps: Workflow['steps']
  step_ids: Workflow['steps'][number]['id'][]
}

export function workflowRow(w: Workflow): WorkflowRow {
  return {
    id: w.id,
    organization_id: w.organization_id,
    name: w.name,
    status: w.status,
    version: w.version,
    created_by: w.created_by,
    created_at: w.created_at,
    updated_at: w.updated_at,
    steps: w.steps,
    step_ids: w.steps.map((step) => step.id),
  }
}
