/**
 * The PostgreSQL store on a real server, through `openPostgres` (node-postgres, a pool): the
 * contract, the bytes against SQLite's, the PostgreSQL-only checks, and what PGlite's single
 * connection cannot show: concurrent writers on several connections, purges that skip each other's
 * rows, the purge's plan on a large table, and replicas migrating at once.
 *
 * The file makes its own database on the server of WF_TEST_DATABASE_URL and drops it after. With no
 * server it is skipped, saying what it needs; WF_REQUIRE_SERVICES=1 makes that a failure.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newIdempotencyRecord, newOrganization, newWorkflow, nextVersion, versionOf } from '../src/contract/fixtures.js'
import { describeStoreContract } from '../src/contract/index.js'
import { purgeStatement } from '../src/pg/store.js'
import { MIGRATIONS_FOLDER_PG, type OpenedPostgres, openPostgres } from '../src/postgres.js'
import { postgresForTests } from '../src/testing.js'
import { postgresOnlyTests } from './postgres-only.js'
import { parityTests } from './postgres-parity.js'

const server = await postgresForTests({ name: 'storage' })
if (!server.ok) console.warn(server.reason)

/** Enough connections for the concurrent writers to contend on the server, not in the pool's queue. */
const POOL_SIZE = 6

describe.skipIf(!server.ok)(server.ok ? 'PostgreSQL server' : `PostgreSQL server (skipped: ${server.reason})`, () => {
  const url = server.ok ? server.url : ''
  let opened: OpenedPostgres
  beforeAll(async () => {
    opened = await openPostgres({ url, poolSize: POOL_SIZE })
  })
  afterAll(async () => {
    await opened?.close()
    if (server.ok) await server.dropDatabase()
  })
  const query = async <T>(text: string, params?: unknown[]) => (await opened.pool.query(text, params)).rows as T[]

  describeStoreContract('PostgreSQL server (node-postgres)', () => opened.store)
  parityTests(() => opened.store)
  postgresOnlyTests(() => ({
    store: opened.store,
    query,
    storeInTimeZone: async (zone) => {
      const zoned = new URL(url)
      zoned.searchParams.set('options', `-c TimeZone=${zone}`)
      const other = await openPostgres({ url: zoned.toString(), poolSize: 1 })
      return { store: other.store, close: other.close }
    },
  }))

  describe('concurrent writers on several connections (READ COMMITTED)', () => {
    it('of concurrent updates from the same version exactly one wins, and the versions stay consecutive', async () => {
      const org = await newOrganization(opened.store)
      let current = newWorkflow(org.id)
      await opened.store.insertWorkflow(current)
      for (let round = 0; round < 5; round++) {
        const contenders = Array.from({ length: 10 }, (_, i) => nextVersion(current, { name: `Round ${round} writer ${i}` }))
        const results = await Promise.all(contenders.map((next, i) => opened.store.updateWorkflow(next, current.version, `key_${i}`)))
        expect(results.filter(Boolean)).toHaveLength(1)
        const winner = results.indexOf(true)
        current = contenders[winner]!
        expect(await opened.store.getWorkflow(org.id, current.id)).toStrictEqual(current)
        const versions = await opened.store.listVersions(org.id, current.id)
        expect(versions?.map((v) => v.version)).toStrictEqual(Array.from({ length: current.version }, (_, i) => current.version - i))
        expect(versions?.[0]).toStrictEqual(versionOf(current, `key_${winner}`))
      }
    })

    it('updates waiting on the same row lock re-check the version when it is released: one wins', async () => {
      const org = await newOrganization(opened.store)
      const workflow = newWorkflow(org.id)
      await opened.store.insertWorkflow(workflow)
      // Another session holds the row, so every update below queues on its lock at once; a third
      // watches them (a session inside a transaction sees a snapshot of pg_stat_activity).
      const holder = new pg.Client({ connectionString: url })
      const observer = new pg.Client({ connectionString: url })
      await Promise.all([holder.connect(), observer.connect()])
      let results: Promise<boolean[]>
      try {
        await holder.query('begin')
        await holder.query('select 1 from workflows where id = $1 for update', [workflow.id])
        results = Promise.all(
          Array.from({ length: 10 }, (_, i) => opened.store.updateWorkflow(nextVersion(workflow, { name: `Writer ${i}` }), 1, `key_${i}`)),
        )
        // Every pooled connection is in an update, waiting for the lock.
        await waitFor(async () => (await updatesWaitingForALock(observer)) >= POOL_SIZE)
      } finally {
        await holder.query('commit')
        await Promise.all([holder.end(), observer.end()])
      }
      expect((await results).filter(Boolean)).toHaveLength(1)
      expect((await opened.store.listVersions(org.id, workflow.id))?.map((v) => v.version)).toStrictEqual([2, 1])
    })

    it('of concurrent idempotent creates with the same key exactly one is written', async () => {
      const org = await newOrganization(opened.store)
      const contenders = Array.from({ length: 10 }, () => newWorkflow(org.id))
      const results = await Promise.all(
        contenders.map((workflow, i) =>
          opened.store.insertWorkflow(workflow, {
            record: { ...newIdempotencyRecord(org.id, 'same-key', '2026-01-01T00:05:00.000Z'), request_hash: `hash-${i}` },
            expiredBefore: '2026-01-01T00:00:00.000Z',
          }),
        ),
      )
      const won = results.flatMap((result, i) => (result.ok ? [i] : []))
      expect(won).toHaveLength(1)
      expect(results.filter((r) => !r.ok)).toStrictEqual(Array(9).fill({ ok: false, reason: 'idempotency_key_taken' }))
      const listed = await opened.store.listWorkflows(org.id, { limit: 100 })
      expect(listed.map((w) => w.id)).toStrictEqual([contenders[won[0]!]!.id])
      const record = await opened.store.findIdempotencyRecord(org.id, 'same-key', '2026-01-01T00:00:00.000Z')
      expect(record?.request_hash).toBe(`hash-${won[0]}`)
      for (const [i, workflow] of contenders.entries()) {
        if (i !== won[0]) expect(await opened.store.listVersions(org.id, workflow.id)).toBeUndefined()
      }
    })
  })

  describe('purging on a server', () => {
    // A year of its own, before every other test's timestamps (the contract's purge tests included).
    const year = (ms: number) => new Date(Date.UTC(1995, 0, 1) + ms).toISOString()

    it('skips rows another session holds instead of waiting for them (SKIP LOCKED)', async () => {
      const org = await newOrganization(opened.store)
      for (let i = 0; i < 6; i++) {
        await opened.store.insertWorkflow(newWorkflow(org.id), {
          record: newIdempotencyRecord(org.id, `k${i}`, year(i * 1000)),
          expiredBefore: year(0),
        })
      }
      const holder = new pg.Client({ connectionString: url })
      await holder.connect()
      try {
        await holder.query('begin')
        // Another replica's purge, in progress: it has locked the two oldest.
        await holder.query('select 1 from idempotency_keys where created_at < $1 order by created_at limit 2 for update', [year(3600_000)])
        expect(await opened.store.purgeIdempotencyRecords(year(3600_000), 100)).toBe(4)
        expect(await opened.store.purgeIdempotencyRecords(year(3600_000), 100)).toBe(0)
        await holder.query('rollback')
      } finally {
        await holder.end()
      }
      expect(await opened.store.purgeIdempotencyRecords(year(3600_000), 100)).toBe(2)
    })

    it('on a large table, walks the created_at index and deletes by TID: work bounded by the limit', async () => {
      await query(
        `insert into idempotency_keys (organization_id, key, request_hash, status, body, created_at)
         select 'org_plan', 'k' || i, 'h', 201, '{}', $1::timestamptz + i * interval '1 second'
           from generate_series(1, 50000) as i`,
        [year(0)],
      )
      await query('analyze idempotency_keys')
      const db = drizzle(opened.pool)
      const statement = purgeStatement(db, year(3600_000), 1000).toSQL()
      const plan = (await query<{ 'QUERY PLAN': string }>(`explain ${statement.sql}`, statement.params))
        .map((r) => r['QUERY PLAN'])
        .join('\n')
      expect(plan).toMatch(/Index (Only )?Scan using idempotency_keys_created_at_idx/)
      expect(plan).toMatch(/Tid Scan on idempotency_keys/)
      expect(plan).not.toMatch(/Seq Scan/)
      // And it deletes the batch: the oldest `limit` of them.
      expect(await opened.store.purgeIdempotencyRecords(year(3600_000), 1000)).toBe(1000)
      const [oldest] = await query<{ key: string }>(
        `select key from idempotency_keys where organization_id = 'org_plan' order by created_at limit 1`,
      )
      expect(oldest?.key).toBe('k1001')
      await query(`delete from idempotency_keys where organization_id = 'org_plan'`)
    })
  })

  describe('listing', () => {
    // The defect this guards against: with an index on id alone, the generic plan of the prepared
    // list walked it from the newest row and filtered by organization, so listing an organization
    // whose workflows are older than another's recent writes skipped every one of those.
    it("reads an organization's newest page off its own key, however many newer rows others wrote", async () => {
      const seedRows = (org: string, n: number, from: number) =>
        query(
          `insert into workflows (id, organization_id, name, status, version, created_by, created_at, updated_at, steps, step_ids)
           select 'wf_plan_' || lpad((${from} + i)::text, 8, '0'), $1, 'n', 'active', 1, 'k', now(), now(), '[]', '{}'
             from generate_series(1, ${n}) as i`,
          [org],
        )
      await seedRows('org_plan_old', 2_000, 0)
      await seedRows('org_plan_busy', 30_000, 2_000) // every one newer than the old organization's
      await query('analyze workflows')
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        // The plan a prepared statement settles on after its first executions.
        await client.query('set plan_cache_mode = force_generic_plan')
        for (const [name, where] of [
          ['l', 'organization_id = $1'],
          ['lb', "organization_id = $1 and id < 'wf_plan_99999999'"],
        ]) {
          await client.query(`prepare ${name}(text, int) as select id from workflows where ${where} order by id desc limit $2`)
          const plan = (await client.query(`explain (analyze, format json) execute ${name}('org_plan_old', 51)`)).rows[0]['QUERY PLAN'][0]
          const text = JSON.stringify(plan)
          expect(text).toContain('"Index Name":"workflows_pkey"')
          expect(text).toMatch(/"Index Cond":"\(+organization_id = \$1\)/)
          expect(text).not.toMatch(/"Rows Removed by Filter":[1-9]/)
          expect(plan.Plan['Actual Rows']).toBe(51)
        }
      } finally {
        await client.end()
        await query("delete from workflows where organization_id in ('org_plan_old', 'org_plan_busy')")
      }
    })
  })

  describe('openPostgres', () => {
    it('migrates exactly once when replicas start together on a new database', async () => {
      const fresh = await postgresForTests({ name: 'storage_migrate' })
      if (!fresh.ok) throw new Error(fresh.reason)
      const replicas: OpenedPostgres[] = []
      try {
        const opening = await Promise.allSettled(Array.from({ length: 4 }, () => openPostgres({ url: fresh.url, poolSize: 2 })))
        for (const result of opening) if (result.status === 'fulfilled') replicas.push(result.value)
        expect(opening.map((r) => r.status)).toStrictEqual(Array(4).fill('fulfilled'))
        const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER_PG, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
        const { rows } = await replicas[0]!.pool.query<{ hash: string; n: number }>(
          'select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash',
        )
        expect(rows).toHaveLength(journal.entries.length)
        for (const row of rows) expect(row.n).toBe(1)
        // Each replica's store works on the one schema.
        expect(await replicas[1]!.hasOrganizations()).toBe(false)
        await newOrganization(replicas[2]!.store)
        expect(await replicas[3]!.hasOrganizations()).toBe(true)
      } finally {
        await Promise.all(replicas.map((r) => r.close()))
        await fresh.dropDatabase()
      }
    })

    it('rejects, and leaves no pool open, when the server refuses the database', async () => {
      const missing = new URL(url)
      missing.pathname = '/wf_storage_no_such_database'
      await expect(openPostgres({ url: missing.toString(), poolSize: 1 })).rejects.toThrow(/does not exist/)
    })
  })
})

/** How many sessions of this database wait for a lock in an update of workflows. */
async function updatesWaitingForALock(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ waiting: number }>(
    `select count(*)::int as waiting from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and query like '%update "workflows"%'`,
  )
  return rows[0]!.waiting
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (await condition()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('timed out waiting for the condition')
}
