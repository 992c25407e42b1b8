/**
 * What each PostgreSQL read selects, in the order of the wire types' fields (as ../columns.ts does
 * for SQLite), and the wire JSON text of a row.
 *
 * PostgreSQL's json_build_object writes `"a" : 1`, not the compact text SQLite's json_object gives,
 * so the two JSON reads build their text here from the row instead: each scalar with
 * JSON.stringify, and the steps as the text the store wrote (a `json` column keeps it verbatim).
 * Both engines then answer the same records with the same bytes (test/postgres-parity.ts).
 */
import { is, type SQL, sql } from 'drizzle-orm'
import { PgArray, type PgColumn, PgJson } from 'drizzle-orm/pg-core'
import { API_KEY_FIELDS, columnsOf, SUMMARY_FIELDS, VERSION_FIELDS, WORKFLOW_FIELDS } from '../wire-fields.js'
import { apiKeys, workflows, workflowVersions } from './schema.js'

export const apiKeyColumns = columnsOf(apiKeys, API_KEY_FIELDS)
export const workflowColumns = columnsOf(workflows, WORKFLOW_FIELDS)
export const summaryColumns = columnsOf(workflows, SUMMARY_FIELDS, { steps: 'step_ids' })
export const versionColumns = columnsOf(workflowVersions, VERSION_FIELDS)

/** How to read `columns` for their wire JSON text, and how to write that text from a row so read. */
export interface WireJson {
  /** The columns to select: each as it is, but a `json` column as its stored text. */
  selection: Record<string, PgColumn | SQL<string>>
  /** The compact JSON object of a selected row, keys in the order of `columns`. */
  text(row: Record<string, unknown>): string
}

export function wireJsonOf(columns: Record<string, PgColumn>): WireJson {
  const fields = Object.entries(columns).map(([name, column]) => ({
    name,
    prefix: `${JSON.stringify(name)}:`,
    read: readAsWireText(column),
  }))
  return {
    selection: Object.fromEntries(fields.map(({ name, read }) => [name, read.selection])),
    text(row) {
      let json = '{'
      for (const { name, prefix, read } of fields) {
        if (json.length > 1) json += ','
        json += prefix + (read.verbatim ? (row[name] as string) : JSON.stringify(row[name]))
      }
      return `${json}}`
    },
  }
}

/**
 * How one column is read for the wire's JSON text. PostgreSQL writes what JavaScript would only
 * parse and write again: a `json` column's stored text and a `text[]` as JSON are passed on as they
 * are (`verbatim`), a timestamp comes as the wire's ISO text (the column's own conversion is for
 * the typed reads). Everything else is a plain value for JSON.stringify.
 */
function readAsWireText(column: PgColumn): { selection: PgColumn | SQL<string>; verbatim: boolean } {
  if (is(column, PgJson)) return { selection: sql<string>`${column}::text`, verbatim: true }
  if (is(column, PgArray)) return { selection: sql<string>`array_to_json(${column})::text`, verbatim: true }
  if (column.getSQLType() === 'timestamp with time zone') {
    return { selection: sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`, verbatim: false }
  }
  return { selection: column, verbatim: false }
}
