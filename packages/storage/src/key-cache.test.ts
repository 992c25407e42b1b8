// The key cache of the Node store: cheap lookups that still see a revocation at once.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { newApiKey, newOrganization } from './contract/fixtures.js'
import { openDatabase } from './node.js'

const dir = mkdtempSync(join(tmpdir(), 'wf-key-cache-'))
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
