// The read cache of the Node store: cheap lookups that never serve what has changed.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Workflow } from '@wf/core'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { at, newApiKey, newIdempotencyRecord, newOrganization, newWorkflow, nextVersion } from './contract/fixtures.js'
import { dataVersionOf, groupCommitter } from './drivers/better-sqlite3.js'
import { openDatabase } from './node.js'
import { CachedStore } from './read-cache.js'
import { createSqliteStore } from './store.js'
import { type ApiKey, type Organization, STORE_METHODS, type Store, type StoreMethod } from './types.js'

const dir = mkdtempSync(join(tmpdir(), 'wf-read-cache-'))
/** Another connection's commit is looked for once per event-loop turn: a request that arrives
 * after it is read in a later turn. */
const laterTurn = () => new Promise((resolve) => setImmediate(resolve))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the Node store caches key lookups', () => {
  it('sees a revocation made by another process (another connection) on the next lookup', async () => {
    const path = join(dir, 'two-connections.db')
    const server = openDatabase(path)
    const cli = openDatabase(path)
    try {
      const org = await newOrganization(server.store)
      const key = newApiKey(org.id)
      await server.store.createApiKey(key, 'hash-1')
      expect(await server.store.findApiKeyByHash('hash-1')).toMatchObject({ revoked_at: null })
      expect(await server.store.findApiKeyByHash('hash-1')).toMatchObject({ revoked_at: null }) // now cached
      await cli.store.revokeApiKey(key.id, '2026-11-26T10:00:00.000Z')
      await laterTurn()
      expect(await server.store.findApiKeyByHash('hash-1')).toMatchObject({ revoked_at: '2026-11-26T10:00:00.000Z' })
    } finally {
      cli.sqlite.close()
      server.sqlite.close()
    }
  })

  it('sees a key created by another connection after its hash was looked up and not found', async () => {
    const path = join(dir, 'created-elsewhere.db')
    const server = openDatabase(path)
    const cli = openDatabase(path)
    try {
      const org = await newOrganization(cli.store)
      expect(await server.store.findApiKeyByHash('hash-2')).toBeUndefined() // a miss, cached
      const key = newApiKey(org.id)
      await cli.store.createApiKey(key, 'hash-2')
      await laterTurn()
      expect(await server.store.findApiKeyByHash('hash-2')).toStrictEqual(key)
    } finally {
      cli.sqlite.close()
      server.sqlite.close()
    }
  })

  it('sees its own revocation and its own new keys at once', async () => {
    const { sqlite, store } = openDatabase(':memory:')
    try {
      const org = await newOrganization(store)
      expect(await store.findApiKeyByHash('hash-3')).toBeUndefined()
      const key = newApiKey(org.id)
      await store.createApiKey(key, 'hash-3')
      expect(await store.findApiKeyByHash('hash-3')).toStrictEqual(key)
      await store.revokeApiKey(key.id, '2026-11-26T11:00:00.000Z')
      expect(await store.findApiKeyByHash('hash-3')).toMatchObject({ revoked_at: '2026-11-26T11:00:00.000Z' })
    } finally {
      sqlite.close()
    }
  })

  it('answers from memory while nothing changed: the table can be emptied behind its back', async () => {
    const { sqlite, store } = openDatabase(':memory:')
    try {
      const org = await newOrganization(store)
      const key = newApiKey(org.id)
      await store.createApiKey(key, 'hash-4')
      expect(await store.findApiKeyByHash('hash-4')).toStrictEqual(key)
      // The same connection, bypassing the store: data_version does not move for one's own
      // commits, so only a cached answer can still find the key.
      sqlite.prepare('delete from api_keys').run()
      expect(await store.findApiKeyByHash('hash-4')).toStrictEqual(key)
    } finally {
      sqlite.close()
    }
  })
})

describe('the Node store caches workflow reads', () => {
  const versionOf = async (store: ReturnType<typeof openDatabase>['store'], org: string, id: string) =>
    (await store.getWorkflowJson(org, id))?.version

  it('answers from memory while nothing changed: the row can be deleted behind its back', async () => {
    const { sqlite, store } = openDatabase(':memory:')
    try {
      const org = await newOrganization(store)
      const workflow = newWorkflow(org.id)
      await store.insertWorkflow(workflow)
      const first = await store.getWorkflowJson(org.id, workflow.id)
      sqlite.prepare('delete from workflow_versions').run()
      sqlite.prepare('delete from workflows').run()
      expect(await store.getWorkflowJson(org.id, workflow.id)).toStrictEqual(first)
    } finally {
      sqlite.close()
    }
  })

  it('serves its own writes at once: a create after a miss, and every update', async () => {
    const { sqlite, store } = openDatabase(':memory:')
    try {
      const org = await newOrganization(store)
      const workflow = newWorkflow(org.id)
      expect(await store.getWorkflowJson(org.id, workflow.id)).toBeUndefined() // a miss, cached
      await store.insertWorkflow(workflow)
      expect(await versionOf(store, org.id, workflow.id)).toBe(1)
      const v2 = nextVersion(workflow, { name: 'Renamed' })
      expect(await store.updateWorkflow(v2, 1, 'key_x')).toBe(true)
      expect(JSON.parse((await store.getWorkflowJson(org.id, workflow.id))!.json)).toMatchObject({ name: 'Renamed', version: 2 })
      // A refused write (stale version) changes nothing, and the cache still answers right.
      expect(await store.updateWorkflow(nextVersion(workflow, { name: 'Stale' }), 1, 'key_y')).toBe(false)
      expect(await versionOf(store, org.id, workflow.id)).toBe(2)
    } finally {
      sqlite.close()
    }
  })

  it("sees another connection's update on the next read", async () => {
    const path = join(dir, 'workflow-two-connections.db')
    const one = openDatabase(path)
    const two = openDatabase(path)
    try {
      const org = await newOrganization(one.store)
      const workflow = newWorkflow(org.id)
      await one.store.insertWorkflow(workflow)
      expect(await versionOf(one.store, org.id, workflow.id)).toBe(1) // cached now
      expect(await two.store.updateWorkflow(nextVersion(workflow), 1, 'key_z')).toBe(true)
      await laterTurn()
      expect(await versionOf(one.store, org.id, workflow.id)).toBe(2)
    } finally {
      two.sqlite.close()
      one.sqlite.close()
    }
  })

  it('keeps at most maxEntries: the oldest entry makes room and is read again', async () => {
    const { sqlite, store: plain } = openDatabase(':memory:')
    const store = new CachedStore(createSqliteStore(drizzle(sqlite), groupCommitter(sqlite)), {
      dataVersion: dataVersionOf(sqlite),
      maxEntries: 2,
    })
    try {
      const org = await newOrganization(plain)
      const [a, b, c] = [newWorkflow(org.id), newWorkflow(org.id), newWorkflow(org.id)]
      for (const w of [a, b, c]) await plain.insertWorkflow(w)
      for (const w of [a, b, c]) await store.getWorkflowJson(org.id, w.id) // a is evicted by c
      sqlite.prepare('delete from workflow_versions').run()
      sqlite.prepare('delete from workflows').run() // same connection: the cache is not told
      expect(await store.getWorkflowJson(org.id, a.id)).toBeUndefined() // read again: gone
      expect(await versionOf(store, org.id, c.id)).toBe(1) // still cached
    } finally {
      sqlite.close()
    }
  })
})

describe('CachedStore implements every Store method, and no write leaves a cached read stale', () => {
  /** What the calls work on: an organization, a key and a workflow, and a key and a workflow to come. */
  interface World {
    org: Organization
    key: ApiKey
    workflow: Workflow
    /** Created by `createApiKey` below; its hash is looked up (a cached miss) before. */
    newKey: ApiKey
    /** Inserted by `insertWorkflow` below; its id is read (a cached miss) before. */
    newWorkflow: Workflow
  }
  async function makeWorld(store: Store): Promise<World> {
    const org = await newOrganization(store)
    const key = newApiKey(org.id)
    await store.createApiKey(key, 'hash-existing')
    const workflow = newWorkflow(org.id)
    // With an idempotency record, so that findIdempotencyRecord finds one and the purge deletes one.
    await store.insertWorkflow(workflow, { record: newIdempotencyRecord(org.id, 'idem-1', at(2)), expiredBefore: at(0) })
    return { org, key, workflow, newKey: newApiKey(org.id), newWorkflow: newWorkflow(org.id) }
  }
  /** Every cached read this world can make: keys by hash, workflows by id, hits and misses. */
  const cachedReads = (store: Store, w: World) =>
    Promise.all([
      store.findApiKeyByHash('hash-existing'),
      store.findApiKeyByHash('hash-new'),
      store.getWorkflowJson(w.org.id, w.workflow.id),
      store.getWorkflowJson(w.org.id, w.newWorkflow.id),
    ])

  /**
   * One call per Store method (the type makes an entry for a new method compulsory): a read, or a
   * write and whether it changes what a cached read answers (for those, the check below proves
   * the cache drops it).
   */
  type Call = (store: Store, w: World) => Promise<unknown>
  type Entry = { kind: 'read'; call: Call } | { kind: 'write'; call: Call; changesCachedReads: boolean }
  const calls: { [M in StoreMethod]: Entry } = {
    ping: { kind: 'read', call: (s) => s.ping() },
    createOrganization: {
      kind: 'write',
      call: (s) => s.createOrganization({ id: 'org_other', name: 'Other', created_at: at(3) }),
      changesCachedReads: false,
    },
    getOrganization: { kind: 'read', call: (s, w) => s.getOrganization(w.org.id) },
    createApiKey: { kind: 'write', call: (s, w) => s.createApiKey(w.newKey, 'hash-new'), changesCachedReads: true },
    findApiKeyByHash: { kind: 'read', call: (s) => s.findApiKeyByHash('hash-existing') },
    listApiKeys: { kind: 'read', call: (s, w) => s.listApiKeys(w.org.id) },
    revokeApiKey: { kind: 'write', call: (s, w) => s.revokeApiKey(w.key.id, at(50)), changesCachedReads: true },
    insertWorkflow: { kind: 'write', call: (s, w) => s.insertWorkflow(w.newWorkflow), changesCachedReads: true },
    getWorkflow: { kind: 'read', call: (s, w) => s.getWorkflow(w.org.id, w.workflow.id) },
    getWorkflowJson: { kind: 'read', call: (s, w) => s.getWorkflowJson(w.org.id, w.workflow.id) },
    listWorkflows: { kind: 'read', call: (s, w) => s.listWorkflows(w.org.id, { limit: 10 }) },
    updateWorkflow: {
      kind: 'write',
      call: (s, w) => s.updateWorkflow(nextVersion(w.workflow, { name: 'Renamed' }), 1, 'key_x'),
      changesCachedReads: true,
    },
    listVersions: { kind: 'read', call: (s, w) => s.listVersions(w.org.id, w.workflow.id) },
    getVersion: { kind: 'read', call: (s, w) => s.getVersion(w.org.id, w.workflow.id, 1) },
    findIdempotencyRecord: { kind: 'read', call: (s, w) => s.findIdempotencyRecord(w.org.id, 'idem-1', at(0)) },
    purgeIdempotencyRecords: { kind: 'write', call: (s) => s.purgeIdempotencyRecords(at(60), 10), changesCachedReads: false },
  }

  /** The Node store (cached) and the same store without the cache, on one connection. */
  function openBoth() {
    const opened = openDatabase(':memory:')
    const uncached = createSqliteStore(drizzle(opened.sqlite), groupCommitter(opened.sqlite))
    return { ...opened, uncached }
  }

  /**
   * Warms every cached read, makes the call through `store`, then compares every cached read (and
   * a read's own answer) with what the uncached store answers. Same connection, so data_version
   * does not move: only the cache's own invalidation can keep it right.
   */
  async function check(method: StoreMethod, wrap: (cached: Store, uncached: Store) => Store = (cached) => cached) {
    const { sqlite, store: cached, uncached } = openBoth()
    try {
      expect(cached).toBeInstanceOf(CachedStore)
      const store = wrap(cached, uncached)
      const w = await makeWorld(uncached)
      const before = await cachedReads(uncached, w)
      await cachedReads(store, w)
      await cachedReads(store, w) // now answered from the cache
      const entry = calls[method]
      const answer = await entry.call(store, w)
      const after = await cachedReads(uncached, w)
      if (entry.kind === 'read') {
        expect(answer).toStrictEqual(await entry.call(uncached, w))
        expect(after, `${method} is a read`).toStrictEqual(before)
      } else if (entry.changesCachedReads) {
        // The table is right: this write really changes a cached read, so the check below bites.
        expect(after, `${method} changes a cached read`).not.toStrictEqual(before)
      } else {
        expect(after, `${method} changes no cached read`).toStrictEqual(before)
      }
      expect(await cachedReads(store, w)).toStrictEqual(after)
    } finally {
      sqlite.close()
    }
  }

  it('has one call for each method of STORE_METHODS, the runtime list of the Store interface', () => {
    expect(Object.keys(calls).sort()).toStrictEqual([...STORE_METHODS].sort())
    const { sqlite, store } = openDatabase(':memory:')
    sqlite.close()
    // Every method is the cached store's own (no method reaches the inner store by a spread).
    expect(Object.keys(store).sort()).toStrictEqual([...STORE_METHODS].sort())
    for (const method of STORE_METHODS) expect(typeof store[method], method).toBe('function')
  })

  for (const method of STORE_METHODS) {
    it(`${method}: leaves every cached read as the database answers it`, async () => {
      await check(method)
    })
  }

  it('the check catches a write that bypasses the cache', async () => {
    const leaky = (cached: Store, uncached: Store): Store => ({ ...cached, updateWorkflow: uncached.updateWorkflow })
    await expect(check('updateWorkflow', leaky)).rejects.toThrow(/expected/)
  })
})
