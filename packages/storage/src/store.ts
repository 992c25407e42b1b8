/**
 * The one Store implementation over drizzle SQLite: a better-sqlite3 database (sync) or a D1
 * database (async). Every call is awaited, which suits both.
 * - Writes of several statements are defined once over typed values (`WriteDefinition<V>`,
 *   atomic.ts) and handed to the driver's `Committer`: one D1 batch (drivers/d1.ts), or a group
 *   commit on better-sqlite3 (drivers/better-sqlite3.ts). Nothing here knows which.
 * - Reads are prepared once per store, lazily: a D1 store lives for one request, and preparing on
 *   better-sqlite3 needs the tables to exist.
 */

import type { WorkflowStatus } from '@wf/core'
import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm'
import { type AtomicWrite, type Bind, type Committer, preparedRead, type StoreDatabase, type WriteDefinition } from './atomic.js'
import { apiKeyColumns, jsonObjectOf, summaryColumns, versionColumns, workflowColumns } from './columns.js'
import { isUniqueConflict } from './conflicts.js'
import { apiKeys, idempotencyKeys, organizations, workflows, workflowVersions } from './schema.js'
import { checkPurgeLimit, type Store } from './types.js'
import { workflowRow } from './wire-fields.js'

/** A workflow row as written: every column of `workflows` (all required), from `workflowRow`. */
export type WorkflowRowValues = Required<typeof workflows.$inferInsert>

/** What an idempotent create writes besides the workflow: the record, and the expiry to clear. */
export interface IdempotencyValues {
  idempotency_org: string
  idempotency_key: string
  request_hash: string
  response_status: number
  response_body: string
  recorded_at: string
  /** A record for the same organization and key created before this is replaced. */
  expired_before: string
}

/** A conditional update: the new row, the version it replaces, and the key that wrote it. */
export interface UpdateValues extends WorkflowRowValues {
  expected_version: number
  written_by: string
}

type ListValues = { org: string; status: WorkflowStatus | undefined; before: string | undefined; limit: number }

/**
 * The store over `db`, committing its atomic writes with `committer`, which must run statements
 * built on this same database (see each driver's file). `createStore` in index.ts picks D1's.
 */
export function createSqliteStore(db: StoreDatabase, committer: Committer): Store {
  const q = {
    organization: preparedRead((v: Bind<{ id: string }>) =>
      db
        .select()
        .from(organizations)
        .where(eq(organizations.id, v('id')))
        .prepare(),
    ),
    keyByHash: preparedRead((v: Bind<{ hash: string }>) =>
      db
        .select(apiKeyColumns)
        .from(apiKeys)
        .where(eq(apiKeys.key_hash, v('hash')))
        .prepare(),
    ),
    keysOfOrganization: preparedRead((v: Bind<{ org: string }>) =>
      db
        .select(apiKeyColumns)
        .from(apiKeys)
        .where(eq(apiKeys.organization_id, v('org')))
        .orderBy(asc(apiKeys.id))
        .prepare(),
    ),
    workflow: preparedRead((v: Bind<{ id: string; org: string }>) =>
      db
        .select(workflowColumns)
        .from(workflows)
        .where(and(eq(workflows.id, v('id')), eq(workflows.organization_id, v('org'))))
        .prepare(),
    ),
    workflowJson: preparedRead((v: Bind<{ id: string; org: string }>) =>
      db
        .select({ version: workflows.version, json: jsonObjectOf(workflowColumns) })
        .from(workflows)
        .where(and(eq(workflows.id, v('id')), eq(workflows.organization_id, v('org'))))
        .prepare(),
    ),
    // The join keeps other organizations out: version rows carry no organization of their own.
    versions: preparedRead((v: Bind<{ id: string; org: string }>) =>
      db
        .select(versionColumns)
        .from(workflowVersions)
        .innerJoin(workflows, eq(workflows.id, workflowVersions.workflow_id))
        .where(and(eq(workflowVersions.workflow_id, v('id')), eq(workflows.organization_id, v('org'))))
        .orderBy(desc(workflowVersions.version))
        .prepare(),
    ),
    version: preparedRead((v: Bind<{ id: string; version: number; org: string }>) =>
      db
        .select(versionColumns)
        .from(workflowVersions)
        .innerJoin(workflows, eq(workflows.id, workflowVersions.workflow_id))
        .where(
          and(
            eq(workflowVersions.workflow_id, v('id')),
            eq(workflowVersions.version, v('version')),
            eq(workflows.organization_id, v('org')),
          ),
        )
        .prepare(),
    ),
    idempotency: preparedRead((v: Bind<{ org: string; key: string; notBefore: string }>) =>
      db
        .select()
        .from(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.organization_id, v('org')),
            eq(idempotencyKeys.key, v('key')),
            gte(idempotencyKeys.created_at, v('notBefore')),
          ),
        )
        .prepare(),
    ),
  }

  // One prepared list query per combination of the optional filters.
  const listQueries = new Map<string, ReturnType<typeof prepareList>>()
  function prepareList(withStatus: boolean, withBefore: boolean) {
    return preparedRead((v: Bind<ListValues>) =>
      db
        .select({ id: workflows.id, json: jsonObjectOf(summaryColumns) })
        .from(workflows)
        .where(
          and(
            eq(workflows.organization_id, v('org')),
            // Each filter is in the query only when its value is given (hence the `!`).
            withStatus ? eq(workflows.status, v('status')!) : undefined,
            withBefore ? lt(workflows.id, v('before')!) : undefined,
          ),
        )
        .orderBy(desc(workflows.id))
        .limit(v('limit'))
        .prepare(),
    )()
  }
  function listQuery(withStatus: boolean, withBefore: boolean) {
    const key = `${withStatus}/${withBefore}`
    let query = listQueries.get(key)
    if (!query) listQueries.set(key, (query = prepareList(withStatus, withBefore)))
    return query
  }

  // Writes, each statement defined once over typed values (see atomic.ts).
  const insertWorkflowRow: WriteDefinition<WorkflowRowValues> = (v) =>
    db.insert(workflows).values({
      id: v('id'),
      organization_id: v('organization_id'),
      name: v('name'),
      status: v('status'),
      version: v('version'),
      created_by: v('created_by'),
      created_at: v('created_at'),
      updated_at: v('updated_at'),
      steps: v('steps'),
      step_ids: v('step_ids'),
    })
  const insertFirstVersion: WriteDefinition<WorkflowRowValues> = (v) =>
    db.insert(workflowVersions).values({
      workflow_id: v('id'),
      version: v('version'),
      name: v('name'),
      status: v('status'),
      steps: v('steps'),
      created_by: v('created_by'),
      created_at: v('created_at'),
    })
  // Clears an expired record first; a live one stays and makes the insert after it conflict.
  const clearExpiredIdempotencyRecord: WriteDefinition<IdempotencyValues> = (v) =>
    db
      .delete(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.organization_id, v('idempotency_org')),
          eq(idempotencyKeys.key, v('idempotency_key')),
          lt(idempotencyKeys.created_at, v('expired_before')),
        ),
      )
  const insertIdempotencyRecord: WriteDefinition<IdempotencyValues> = (v) =>
    db.insert(idempotencyKeys).values({
      organization_id: v('idempotency_org'),
      key: v('idempotency_key'),
      request_hash: v('request_hash'),
      status: v('response_status'),
      body: v('response_body'),
      created_at: v('recorded_at'),
    })
  // Changes the row only if nobody else did since the caller read it.
  const updateIfUnchanged: WriteDefinition<UpdateValues> = (v) =>
    db
      .update(workflows)
      .set({
        name: v('name'),
        status: v('status'),
        version: v('version'),
        steps: v('steps'),
        step_ids: v('step_ids'),
        updated_at: v('updated_at'),
      })
      .where(
        and(eq(workflows.id, v('id')), eq(workflows.organization_id, v('organization_id')), eq(workflows.version, v('expected_version'))),
      )
  // Copies the row just written. If the update lost a race, either no row has this version
  // (nothing inserted) or the winner's has, and its version row already exists (primary key
  // conflict, the whole write rolls back). Either way nothing changes.
  const appendVersion: WriteDefinition<UpdateValues> = (v) =>
    db.insert(workflowVersions).select(
      db
        .select({
          workflow_id: workflows.id,
          version: workflows.version,
          name: workflows.name,
          status: workflows.status,
          steps: workflows.steps,
          created_by: sql<string>`${v('written_by')}`.as('created_by'),
          created_at: workflows.updated_at,
        })
        .from(workflows)
        .where(and(eq(workflows.id, v('id')), eq(workflows.version, v('version')))),
    )

  // The atomic writes: each a fixed list of the statements above (the committer may key its
  // prepared statements on them, so they are made once per store).
  const createWorkflow: AtomicWrite<WorkflowRowValues> = [insertWorkflowRow, insertFirstVersion]
  const createWorkflowIdempotently: AtomicWrite<WorkflowRowValues & IdempotencyValues> = [
    clearExpiredIdempotencyRecord,
    insertIdempotencyRecord,
    insertWorkflowRow,
    insertFirstVersion,
  ]
  const updateWorkflowIfUnchanged: AtomicWrite<UpdateValues> = [updateIfUnchanged, appendVersion]

  return {
    async ping() {
      await db.get(sql`select 1`)
    },

    async createOrganization(org) {
      await db.insert(organizations).values({ id: org.id, name: org.name, created_at: org.created_at }).run()
    },
    async getOrganization(id) {
      return await q.organization().get({ id })
    },

    async createApiKey(key, hash) {
      const { id, organization_id, mode, name, prefix, created_at, revoked_at } = key
      await db.insert(apiKeys).values({ id, organization_id, mode, name, prefix, key_hash: hash, created_at, revoked_at }).run()
    },
    async findApiKeyByHash(hash) {
      return await q.keyByHash().get({ hash })
    },
    async listApiKeys(organizationId) {
      return await q.keysOfOrganization().all({ org: organizationId })
    },
    async revokeApiKey(id, at) {
      // One statement: keeps the first revocation time and returns the key whether or not it changed.
      return await db
        .update(apiKeys)
        .set({ revoked_at: sql`coalesce(${apiKeys.revoked_at}, ${at})` })
        .where(eq(apiKeys.id, id))
        .returning(apiKeyColumns)
        .get()
    },

    async insertWorkflow(workflow, idempotency) {
      if (!idempotency) {
        await committer.run(createWorkflow, workflowRow(workflow))
        return { ok: true }
      }
      const { record, expiredBefore } = idempotency
      try {
        await committer.run(createWorkflowIdempotently, {
          ...workflowRow(workflow),
          idempotency_org: record.organization_id,
          idempotency_key: record.key,
          request_hash: record.request_hash,
          response_status: record.status,
          response_body: record.body,
          recorded_at: record.created_at,
          expired_before: expiredBefore,
        })
        return { ok: true }
      } catch (error) {
        if (isUniqueConflict(error, 'idempotency_keys')) return { ok: false, reason: 'idempotency_key_taken' }
        throw error
      }
    },
    async getWorkflow(organizationId, id) {
      return await q.workflow().get({ id, org: organizationId })
    },
    // The two JSON reads take rows as arrays (`values()`): both columns are plain driver values,
    // and drizzle's mapping of each row into an object cost a quarter of a page of 50.
    async getWorkflowJson(organizationId, id) {
      const [row] = (await q.workflowJson().values({ id, org: organizationId })) as [number, string][]
      return row && { version: row[0], json: row[1] }
    },
    async listWorkflows(organizationId, { limit, before, status }) {
      const query = listQuery(status !== undefined, before !== undefined)
      const rows = (await query.values({ org: organizationId, status, before, limit })) as [string, string][]
      return rows.map(([id, json]) => ({ id, json }))
    },
    async updateWorkflow(next, expectedVersion, writtenBy) {
      if (next.version !== expectedVersion + 1) {
        throw new Error(`storage: next.version must be ${expectedVersion + 1}, got ${next.version}`)
      }
      try {
        const [updated] = await committer.run(updateWorkflowIfUnchanged, {
          ...workflowRow(next),
          expected_version: expectedVersion,
          written_by: writtenBy,
        })
        return updated === 1
      } catch (error) {
        if (isUniqueConflict(error, 'workflow_versions')) return false
        throw error
      }
    },
    async listVersions(organizationId, workflowId) {
      const versions = await q.versions().all({ id: workflowId, org: organizationId })
      // Every workflow has version 1, so no rows means no such workflow here.
      return versions.length > 0 ? versions : undefined
    },
    async getVersion(organizationId, workflowId, version) {
      return await q.version().get({ id: workflowId, version, org: organizationId })
    },

    async findIdempotencyRecord(organizationId, key, notBefore) {
      return await q.idempotency().get({ org: organizationId, key, notBefore })
    },
    async purgeIdempotencyRecords(before, limit) {
      checkPurgeLimit(limit)
      // Run on its own, not through the committer: one statement is atomic by itself.
      return changedRows(await purgeStatement(db, before, limit).run())
    },
  }
}

/**
 * Deletes up to `limit` idempotency records created before `before`, oldest first: the subquery
 * walks the created_at index (which holds the rowid) and stops at the limit, so a call's work is
 * bounded however many rows are due. Exported for the query-plan test.
 */
export function purgeStatement(db: StoreDatabase, before: string, limit: number) {
  const rowid = sql`rowid`
  return db
    .delete(idempotencyKeys)
    .where(
      inArray(
        rowid,
        db
          .select({ rowid })
          .from(idempotencyKeys)
          .where(lt(idempotencyKeys.created_at, before))
          .orderBy(asc(idempotencyKeys.created_at))
          .limit(limit),
      ),
    )
}

/** The rows a statement changed: better-sqlite3 reports `changes`, D1 `meta.changes`. */
function changedRows(result: unknown): number {
  const r = result as { changes?: unknown; meta?: { changes?: unknown } } | undefined
  const changes = r?.changes ?? r?.meta?.changes
  if (typeof changes !== 'number') throw new Error('storage: a run result without the count of changed rows')
  return changes
}
