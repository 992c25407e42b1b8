/**
 * The SQLite schema, shared by better-sqlite3 (Node) and D1 (Workers). Property names are the
 * column names, in snake_case like the wire types, so rows come back in their wire shape without
 * renaming. Timestamps are ISO 8601 strings: they compare correctly as text.
 *
 * After a change: `pnpm db:generate` and check in the new file under drizzle/.
 */

import type { StepId, WorkflowStep } from '@wf/core'
import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

export const organizations = sqliteTable('organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  created_at: text('created_at').notNull(),
})

export const apiKeys = sqliteTable(
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
    created_at: text('created_at').notNull(),
    revoked_at: text('revoked_at'),
  },
  (t) => [
    uniqueIndex('api_keys_key_hash_idx').on(t.key_hash),
    index('api_keys_organization_id_idx').on(t.organization_id),
    // Unqualified column names: drizzle-kit rebuilds tables under a temporary name to alter them.
    check('api_keys_mode_check', sql`"mode" in ('live', 'sandbox')`),
  ],
)

export const workflows = sqliteTable(
  'workflows',
  {
    // Ids sort by creation time, so "newest first" is ORDER BY id DESC and a cursor is an id.
    id: text('id').primaryKey(),
    organization_id: text('organization_id').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: ['active', 'archived'] }).notNull(),
    version: integer('version').notNull(),
    created_by: text('created_by').notNull(),
    created_at: text('created_at').notNull(),
    updated_at: text('updated_at').notNull(),
    /** JSON array of resolved steps. */
    steps: text('steps', { mode: 'json' }).$type<WorkflowStep[]>().notNull(),
    /** JSON array of the step ids, so that listing never parses the configs. */
    step_ids: text('step_ids', { mode: 'json' }).$type<StepId[]>().notNull(),
  },
  (t) => [
    // List: WHERE organization_id = ? [AND id < ?] ORDER BY id DESC, read backwards off the index.
    index('workflows_organization_id_id_idx').on(t.organization_id, t.id),
    // List with the status filter.
    index('workflows_organization_id_status_id_idx').on(t.organization_id, t.status, t.id),
    check('workflows_status_check', sql`"status" in ('active', 'archived')`),
  ],
)

/** Every version ever written, immutable: rows are only inserted. */
export const workflowVersions = sqliteTable(
  'workflow_versions',
  {
    workflow_id: text('workflow_id').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: ['active', 'archived'] }).notNull(),
    steps: text('steps', { mode: 'json' }).$type<WorkflowStep[]>().notNull(),
    /** The key that wrote this version (the audit trail). */
    created_by: text('created_by').notNull(),
    created_at: text('created_at').notNull(),
  },
  // The primary key also makes a lost update race fail: two writers cannot both add version n.
  (t) => [primaryKey({ columns: [t.workflow_id, t.version] })],
)

/** Stored create responses, replayed for retries with the same Idempotency-Key. */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    organization_id: text('organization_id').notNull(),
    key: text('key').notNull(),
    request_hash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    body: text('body').notNull(),
    created_at: text('created_at').notNull(),
  },
  (t) => [
    // The primary key is the lock: of two requests with the same key, the second insert fails.
    primaryKey({ columns: [t.organization_id, t.key] }),
    // The purge deletes the oldest records first, a bounded batch at a time.
    index('idempotency_keys_created_at_idx').on(t.created_at),
  ],
)
