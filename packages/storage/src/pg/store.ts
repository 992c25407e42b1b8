/**
 * The Store over drizzle PostgreSQL: node-postgres in production (`openPostgres`, ../postgres.ts)
 * and PGlite in tests. Both hand back `{ rows }` from `execute`, so one store serves both.
 *
 * Every atomic write is one SQL statement, its parts chained by data-modifying CTEs: PostgreSQL
 * runs a statement all or nothing, so no interactive transaction holds a pooled connection across
 * round trips, and a write costs one round trip. drizzle's query builder writes each part (values
 * mapped by their columns); the CTEs that chain them are `sql` templates, which the builder cannot
 * express. No read cache: a cache in one replica cannot learn of another replica's write.
 */

import { and, asc, desc, eq, getTableColumns, gte, lt, type SQL, sql } from 'drizzle-orm'
import type { PgColumn, PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { isUniqueConflict } from '../conflicts.js'
import { checkPurgeLimit, type Store } from '../types.js'
import { workflowRow } from '../wire-fields.js'
import { apiKeyColumns, summaryColumns, versionColumns, wireJsonOf, workflowColumns } from './columns.js'
import { apiKeys, idempotencyKeys, organizations, workflows, workflowVersions } from './schema.js'

/** A drizzle PostgreSQL database: `drizzle-orm/node-postgres` or `drizzle-orm/pglite`. */
export type PostgresDatabase = PgDatabase<PgQueryResultHKT, Record<string, never>>

type WorkflowRow = Required<typeof workflows.$inferInsert>

/** Every column of `workflows`, in the order of the table's definition. */
const workflowRowColumns = Object.entries(getTableColumns(workflows)) as [keyof WorkflowRow, PgColumn][]

const workflowJson = wireJsonOf(workflowColumns)
const summaryJson = wireJsonOf(summaryColumns)

export function createPostgresStore(db: PostgresDatabase): Store {
  /** Runs a statement built here and returns its rows (both drivers answer `{ rows }`). */
  async function rowsOf(query: SQL): Promise<Record<string, unknown>[]> {
    return ((await db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows
  }

  /**
   * Appends the version row of the workflow row just written by the CTE `cte` (which returns the
   * whole row): its content, who wrote it and when.
   */
  const appendVersionFrom = (cte: string, createdBy: SQL, createdAt: SQL) => sql`
    insert into ${workflowVersions} (${names([
      workflowVersions.workflow_id,
      workflowVersions.version,
      workflowVersions.name,
      workflowVersions.status,
      workflowVersions.steps,
      workflowVersions.created_by,
      workflowVersions.created_at,
    ])})
    select ${names([workflows.id, workflows.version, workflows.name, workflows.status, workflows.steps])}, ${createdBy}, ${createdAt}
    from ${sql.identifier(cte)}
    returning 1`
  /** Version 1 of a new workflow: written by its creator, when it was created. */
  const appendFirstVersionFrom = (cte: string) => appendVersionFrom(cte, names([workflows.created_by]), names([workflows.created_at]))

  // The reads on every request's path, prepared once and named: node-postgres then parses each
  // once per connection and PostgreSQL can keep its plan, where an unnamed query is parsed and
  // planned on every call (and drizzle builds its SQL again).
  const p = sql.placeholder
  const keyByHash = db
    .select(apiKeyColumns)
    .from(apiKeys)
    .where(eq(apiKeys.key_hash, p('hash')))
    .prepare('wf_key_by_hash')
  const byIdInOrganization = and(eq(workflows.id, p('id')), eq(workflows.organization_id, p('org')))
  const workflowById = db.select(workflowColumns).from(workflows).where(byIdInOrganization).prepare('wf_workflow')
  const workflowJsonById = db
    .select({ ...workflowJson.selection, version: workflows.version })
    .from(workflows)
    .where(byIdInOrganization)
    .prepare('wf_workflow_json')
  // One prepared list per combination of the optional filters, as on SQLite.
  const listQueries = new Map<string, ReturnType<typeof prepareList>>()
  function prepareList(withStatus: boolean, withBefore: boolean) {
    return db
      .select({ ...summaryJson.selection })
      .from(workflows)
      .where(
        and(
          eq(workflows.organization_id, p('org')),
          withStatus ? eq(workflows.status, p('status')) : undefined,
          withBefore ? lt(workflows.id, p('before')) : undefined,
        ),
      )
      .orderBy(desc(workflows.id))
      .limit(p('limit'))
      .prepare(`wf_list_${withStatus ? 's' : ''}${withBefore ? 'b' : ''}`)
  }
  function listQuery(withStatus: boolean, withBefore: boolean) {
    const key = `${withStatus}/${withBefore}`
    let query = listQueries.get(key)
    if (!query) listQueries.set(key, (query = prepareList(withStatus, withBefore)))
    return query
  }

  return {
    async ping() {
      await db.execute(sql`select 1`)
    },

    async createOrganization(org) {
      await db.insert(organizations).values({ id: org.id, name: org.name, created_at: org.created_at })
    },
    async getOrganization(id) {
      const [org] = await db.select().from(organizations).where(eq(organizations.id, id))
      return org
    },

    async createApiKey(key, hash) {
      const { id, organization_id, mode, name, prefix, created_at, revoked_at } = key
      await db.insert(apiKeys).values({ id, organization_id, mode, name, prefix, key_hash: hash, created_at, revoked_at })
    },
    async findApiKeyByHash(hash) {
      const [key] = await keyByHash.execute({ hash })
      return key
    },
    async listApiKeys(organizationId) {
      return await db.select(apiKeyColumns).from(apiKeys).where(eq(apiKeys.organization_id, organizationId)).orderBy(asc(apiKeys.id))
    },
    async revokeApiKey(id, at) {
      // One statement: keeps the first revocation time and returns the key whether or not it changed.
      const [key] = await db
        .update(apiKeys)
        .set({ revoked_at: sql`coalesce(${apiKeys.revoked_at}, ${typed(apiKeys.revoked_at, at)})` })
        .where(eq(apiKeys.id, id))
        .returning(apiKeyColumns)
      return key
    },

    async insertWorkflow(workflow, idempotency) {
      const row = workflowRow(workflow)
      const insertWorkflowRow = db.insert(workflows).values(row).returning()
      if (!idempotency) {
        // The workflow, and its version 1 copied from the row just written.
        await db.execute(sql`
          with inserted as (${insertWorkflowRow.getSQL()})
          ${appendFirstVersionFrom('inserted')}`)
        return { ok: true }
      }
      const { record, expiredBefore } = idempotency
      // Claims the key: a new record, or the replacement of one created before `expiredBefore`.
      // A live record makes ON CONFLICT's WHERE false: nothing is written and no row returned. Of
      // two requests racing for one key, the second waits for the first to commit, then sees its
      // record, live.
      const claim = db
        .insert(idempotencyKeys)
        .values(record)
        .onConflictDoUpdate({
          target: [idempotencyKeys.organization_id, idempotencyKeys.key],
          set: {
            request_hash: excluded(idempotencyKeys.request_hash),
            status: excluded(idempotencyKeys.status),
            body: excluded(idempotencyKeys.body),
            created_at: excluded(idempotencyKeys.created_at),
          },
          setWhere: lt(idempotencyKeys.created_at, expiredBefore),
        })
        .returning({ key: idempotencyKeys.key })
      // The workflow is written only if the key was claimed (a SELECT, because VALUES takes no
      // WHERE: hence each value cast to its column's type), then its version 1 from it.
      const written = await rowsOf(sql`
        with claimed as (${claim.getSQL()}),
        inserted as (
          insert into ${workflows} (${names(workflowRowColumns.map(([, column]) => column))})
          select ${sql.join(
            workflowRowColumns.map(([key, column]) => typed(column, row[key])),
            sql`, `,
          )}
          where exists (select 1 from claimed)
          returning *
        )
        ${appendFirstVersionFrom('inserted')}`)
      return written.length === 1 ? { ok: true } : { ok: false, reason: 'idempotency_key_taken' }
    },
    async getWorkflow(organizationId, id) {
      const [workflow] = await workflowById.execute({ id, org: organizationId })
      return workflow
    },
    async getWorkflowJson(organizationId, id) {
      const [row] = await workflowJsonById.execute({ id, org: organizationId })
      return row && { version: row.version, json: workflowJson.text(row) }
    },
    async listWorkflows(organizationId, { limit, before, status }) {
      const query = listQuery(status !== undefined, before !== undefined)
      const rows = await query.execute({ org: organizationId, status, before, limit })
      return rows.map((row) => ({ id: row.id as string, json: summaryJson.text(row) }))
    },
    async updateWorkflow(next, expectedVersion, writtenBy) {
      if (next.version !== expectedVersion + 1) {
        throw new Error(`storage: next.version must be ${expectedVersion + 1}, got ${next.version}`)
      }
      const { name, status, version, steps, step_ids, updated_at } = workflowRow(next)
      // Changes the row only if nobody else did since the caller read it. Of two concurrent
      // updates, the second waits for the first's row lock, then checks its WHERE again against
      // the row the first committed: the version no longer matches, and it changes nothing.
      const updateIfUnchanged = db
        .update(workflows)
        .set({ name, status, version, steps, step_ids, updated_at })
        .where(and(eq(workflows.id, next.id), eq(workflows.organization_id, next.organization_id), eq(workflows.version, expectedVersion)))
        .returning()
      try {
        const written = await rowsOf(sql`
          with updated as (${updateIfUnchanged.getSQL()})
          ${appendVersionFrom('updated', typed(workflowVersions.created_by, writtenBy), names([workflows.updated_at]))}`)
        return written.length === 1
      } catch (error) {
        // Cannot happen while only this store writes versions (the row lock orders the writers),
        // but a version row that exists already means the write lost, as on SQLite.
        if (isUniqueConflict(error, 'workflow_versions')) return false
        throw error
      }
    },
    async listVersions(organizationId, workflowId) {
      // The join keeps other organizations out: version rows carry no organization of their own.
      const versions = await db
        .select(versionColumns)
        .from(workflowVersions)
        .innerJoin(workflows, eq(workflows.id, workflowVersions.workflow_id))
        .where(and(eq(workflowVersions.workflow_id, workflowId), eq(workflows.organization_id, organizationId)))
        .orderBy(desc(workflowVersions.version))
      // Every workflow has version 1, so no rows means no such workflow here.
      return versions.length > 0 ? versions : undefined
    },
    async getVersion(organizationId, workflowId, version) {
      const [found] = await db
        .select(versionColumns)
        .from(workflowVersions)
        .innerJoin(workflows, eq(workflows.id, workflowVersions.workflow_id))
        .where(
          and(
            eq(workflowVersions.workflow_id, workflowId),
            eq(workflowVersions.version, version),
            eq(workflows.organization_id, organizationId),
          ),
        )
      return found
    },

    async findIdempotencyRecord(organizationId, key, notBefore) {
      const [record] = await db
        .select()
        .from(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.organization_id, organizationId),
            eq(idempotencyKeys.key, key),
            gte(idempotencyKeys.created_at, notBefore),
          ),
        )
      return record
    },
    async purgeIdempotencyRecords(before, limit) {
      checkPurgeLimit(limit)
      return (await purgeStatement(db, before, limit)).length
    },
  }
}

/**
 * Deletes up to `limit` idempotency records created before `before`, oldest first, returning a
 * row for each. The subquery walks the created_at index and stops at the limit; the delete then
 * finds its rows by their physical address (ctid, a TID scan). Matching on the primary key instead
 * lets the planner hash-join against a scan of the whole table, which is no bounded work. The rows
 * are locked, so their addresses hold until the delete; SKIP LOCKED lets replicas purging at the
 * same time take different rows instead of queueing behind each other. Exported for the plan test.
 */
export function purgeStatement(db: PostgresDatabase, before: string, limit: number) {
  const ctid = sql`ctid`
  const oldest = db
    .select({ ctid })
    .from(idempotencyKeys)
    .where(lt(idempotencyKeys.created_at, before))
    .orderBy(asc(idempotencyKeys.created_at))
    .limit(limit)
    .for('update', { skipLocked: true })
  return db.delete(idempotencyKeys).where(sql`${ctid} = any(array${oldest})`).returning({ key: idempotencyKeys.key })
}

/** Column names, unqualified, for an INSERT's column list or a SELECT from a CTE. */
function names(columns: readonly PgColumn[]): SQL {
  return sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  )
}

/**
 * `value` as a parameter mapped by `column` and cast to its type: in a SELECT list a parameter
 * has no column to take its type from, as it has in VALUES.
 */
function typed(column: PgColumn, value: unknown): SQL {
  return sql`${sql.param(value, column)}::${sql.raw(column.getSQLType())}`
}

/** ON CONFLICT DO UPDATE's name for the value the INSERT proposed for `column`. */
function excluded(column: PgColumn): SQL {
  return sql`excluded.${sql.identifier(column.name)}`
}
