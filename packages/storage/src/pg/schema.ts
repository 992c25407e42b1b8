/**
 * The PostgreSQL schema: the same tables and column names as the SQLite one (../schema.ts), so
 * rows come back in their wire shape, with PostgreSQL's own types where it has them:
 * - timestamps are `timestamptz`, yet the store keeps ISO 8601 strings in and out (`isoTimestamp`);
 * - steps are `json`, not `jsonb`: `json` keeps the text as written, and the wire's key order is
 *   part of what we promise (jsonb reorders keys); nothing queries inside the steps;
 * - step ids are a `text[]`.
 *
 * After a change: `pnpm db:generate` and check in the new file under drizzle-pg/.
 */

import type { StepId, WorkflowStep } from '@wf/core'
import { sql } from 'drizzle-orm'
import { check, customType, index, integer, json, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'

/**
 * A `timestamptz` that reads and writes ISO 8601 strings with milliseconds, as the wire has them.
 * PostgreSQL parses the ISO string on the way in. On the way out drizzle's node-postgres and PGlite
 * drivers hand over PostgreSQL's own text (`2026-01-01 00:00:00+00`, in the session's time zone);
 * a client without that setting gives a `Date`. Both become the same ISO string.
 */
export const isoTimestamp = customType<{ data: string; driverData: string | Date }>({
  dataType: () => 'timestamp with time zone',
  toDriver: (value) => value,
  fromDriver: isoFromDriver,
})

/** PostgreSQL's ISO-style timestamp text: date, time, optional fraction, UTC offset. */
const POSTGRES_TIMESTAMP = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d(?::?\d\d){0,2})?$/

/** A timestamp from the driver (a `Date`, or PostgreSQL's text) as an ISO string with milliseconds. */
export function isoFromDriver(value: string | Date): string {
  if (value instanceof Date) return value.toISOString()
  const parts = POSTGRES_TIMESTAMP.exec(value)
  // Rewritten into a form every JavaScript engine parses: a `T`, and the offset as `+hh:mm[:ss]`.
  const normalised = parts ? `${parts[1]}T${parts[2]}${parts[3] ?? ''}${offsetOf(parts[4])}` : value
  const date = new Date(normalised)
  if (Number.isNaN(date.getTime())) throw new Error(`storage: not a timestamp from PostgreSQL: ${value}`)
  return date.toISOString()
}

function offsetOf(offset: string | undefined): string {
  if (offset === undefined || offset === 'Z') return 'Z'
  const digits = offset.slice(1).replaceAll(':', '')
  // JavaScript reads hours and minutes only: the rare seconds of a historical zone are dropped.
  return `${offset[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`
}

export const organizations = pgTable('organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  created_at: isoTimestamp('created_at').notNull(),
})

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    organization_id: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    mode: text('mode', { enum: ['live', 'sandbox'] }).notNull(),
    name: text('name'),
    prefix: text('prefix').notNull(),
    // SHA-256 of the secret: the only way a request finds its key.
    key_hash: text('key_hash').notNull(),
    created_at: isoTimestamp('created_at').notNull(),
    revoked_at: isoTimestamp('revoked_at'),
  },
  (t) => [
    uniqueIndex('api_keys_key_hash_idx').on(t.key_hash),
    index('api_keys_organization_id_idx').on(t.organization_id),
    check('api_keys_mode_check', sql`"mode" in ('live', 'sandbox')`),
  ],
)

export const workflows = pgTable(
  'workflows',
  {
    // Ids sort by creation time, so "newest first" is ORDER BY id DESC and a cursor is an id.
    id: text('id').notNull(),
    organization_id: text('organization_id').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: ['active', 'archived'] }).notNull(),
    version: integer('version').notNull(),
    created_by: text('created_by').notNull(),
    created_at: isoTimestamp('created_at').notNull(),
    updated_at: isoTimestamp('updated_at').notNull(),
    /** The resolved steps, as the JSON text the store wrote (`json` keeps it verbatim). */
    steps: json('steps').$type<WorkflowStep[]>().notNull(),
    /** The step ids, so that listing never reads the configs. */
    step_ids: text('step_ids').array().$type<StepId[]>().notNull(),
  },
  (t) => [
    // Every read names the organization, so the key leads with it, and a list (WHERE organization_id
    // = $1 [AND id < $2] ORDER BY id DESC) reads backwards off it. With an index on id alone beside
    // it, PostgreSQL's generic plan walked that one from the newest row and filtered by
    // organization: an organization whose workflows are older than other organizations' recent
    // writes was listed by skipping all of those (SQLite's planner takes the composite index).
    // Ids are ULIDs, unique by construction, and never looked up without their organization.
    primaryKey({ name: 'workflows_pkey', columns: [t.organization_id, t.id] }),
    // List with the status filter.
    index('workflows_organization_id_status_id_idx').on(t.organization_id, t.status, t.id),
    check('workflows_status_check', sql`"status" in ('active', 'archived')`),
  ],
)

/** Every version ever written, immutable: rows are only inserted. */
export const workflowVersions = pgTable(
  'workflow_versions',
  {
    workflow_id: text('workflow_id').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: ['active', 'archived'] }).notNull(),
    steps: json('steps').$type<WorkflowStep[]>().notNull(),
    /** The key that wrote this version (the audit trail). */
    created_by: text('created_by').notNull(),
    created_at: isoTimestamp('created_at').notNull(),
  },
  // The primary key also makes a lost update race fail: two writers cannot both add version n.
  (t) => [primaryKey({ columns: [t.workflow_id, t.version] })],
)

/** Stored create responses, replayed for retries with the same Idempotency-Key. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    organization_id: text('organization_id').notNull(),
    key: text('key').notNull(),
    request_hash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    body: text('body').notNull(),
    created_at: isoTimestamp('created_at').notNull(),
  },
  (t) => [
    // The primary key is the lock: of two requests with the same key, one claims it (ON CONFLICT).
    primaryKey({ columns: [t.organization_id, t.key] }),
    // The purge deletes the oldest records first, a bounded batch at a time.
    index('idempotency_keys_created_at_idx').on(t.created_at),
  ],
)
