/**
 * What each read selects, in the order of the wire types' fields: rows come back already in their
 * wire shape (steps parsed from JSON by the column), and secrets' hashes never leave the database.
 */
import { type SQL, sql } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { apiKeys, workflows, workflowVersions } from './schema.js'

export const apiKeyColumns = {
  id: apiKeys.id,
  organization_id: apiKeys.organization_id,
  mode: apiKeys.mode,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  created_at: apiKeys.created_at,
  revoked_at: apiKeys.revoked_at,
}

export const workflowColumns = {
  id: workflows.id,
  name: workflows.name,
  status: workflows.status,
  organization_id: workflows.organization_id,
  version: workflows.version,
  created_by: workflows.created_by,
  created_at: workflows.created_at,
  updated_at: workflows.updated_at,
  steps: workflows.steps,
}

/** A list item carries the step ids only: read from step_ids, so no config is parsed. */
export const summaryColumns = {
  id: workflows.id,
  name: workflows.name,
  status: workflows.status,
  version: workflows.version,
  steps: workflows.step_ids,
  created_at: workflows.created_at,
  updated_at: workflows.updated_at,
}

export const versionColumns = {
  version: workflowVersions.version,
  name: workflowVersions.name,
  status: workflowVersions.status,
  steps: workflowVersions.steps,
  created_by: workflowVersions.created_by,
  created_at: workflowVersions.created_at,
}

/**
 * SQLite's json_object over these columns, in their order, JSON columns embedded as JSON: the
 * database hands back the wire JSON text, and the hot reads skip JSON.parse and JSON.stringify
 * (about half the time of the drizzle-then-stringify way for a page of 50: BENCHMARKS.md).
 */
export function jsonObjectOf(columns: Record<string, SQLiteColumn>): SQL<string> {
  const pairs = Object.entries(columns).map(([name, column]) =>
    column.columnType === 'SQLiteTextJson' ? sql`'${sql.raw(name)}', json(${column})` : sql`'${sql.raw(name)}', ${column}`,
  )
  return sql<string>`json_object(${sql.join(pairs, sql`, `)})`
}
