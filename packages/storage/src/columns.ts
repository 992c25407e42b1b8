/**
 * What each read selects, in the order of the wire types' fields: rows come back already in their
 * wire shape (steps parsed from JSON by the column), and secrets' hashes never leave the database.
 */
import { type SQL, sql } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { apiKeys, workflows, workflowVersions } from './schema.js'
import { API_KEY_FIELDS, columnsOf, SUMMARY_FIELDS, VERSION_FIELDS, WORKFLOW_FIELDS } from './wire-fields.js'

export const apiKeyColumns = columnsOf(apiKeys, API_KEY_FIELDS)
export const workflowColumns = columnsOf(workflows, WORKFLOW_FIELDS)
export const summaryColumns = columnsOf(workflows, SUMMARY_FIELDS, { steps: 'step_ids' })
export const versionColumns = columnsOf(workflowVersions, VERSION_FIELDS)

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
