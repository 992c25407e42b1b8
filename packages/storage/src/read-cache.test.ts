// The read cache of the Node store: cheap lookups that never serve what has changed.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { newApiKey, newOrganization, newWorkflow, nextVersion } from './contract/fixtures.js'
import { openDatabase } from './node.js'

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
    const { withReadCache } = await import('./read-cache.js')
    const { createStore } = await import('./store.js')
    const { drizzle } = await import('drizzle-orm/better-sqlite3')
    const store = withReadCache(createStore(drizzle(sqlite)), sqlite, 2)
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
