/**
 * Node only: API keys are read on every request and change rarely, so their lookup is cached in
 * memory, and the whole cache is dropped whenever keys may have changed:
 * - after this store's own key writes;
 * - when `PRAGMA data_version` shows a commit by another connection (the `wf keys revoke` CLI
 *   beside the server). Reading it is one cheap statement per lookup.
 * So a revocation is seen by the very next request, whichever process made it.
 */
import type Database from 'better-sqlite3'
import type { ApiKey, Store } from './types.js'

export function withKeyCache(store: Store, sqlite: Database.Database, maxEntries = 10_000): Store {
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck()
  let seenVersion = dataVersion.get()
  // Bumped on every drop: a lookup that started before a drop must not store what it read.
  let generation = 0
  const cache = new Map<string, ApiKey | undefined>()
  const drop = () => {
    generation++
    cache.clear()
  }

  return {
    ...store,
    async findApiKeyByHash(hash) {
      const version = dataVersion.get()
      if (version !== seenVersion) {
        seenVersion = version
        drop()
      }
      if (cache.has(hash)) return cache.get(hash)
      const started = generation
      const key = await store.findApiKeyByHash(hash)
      if (started === generation) {
        // Unknown hashes are cached too (a client retrying a wrong key), so the size is bounded.
        if (cache.size >= maxEntries) cache.clear()
        cache.set(hash, key && Object.freeze(key))
      }
      return key
    },
    async createApiKey(key, hash) {
      try {
        await store.createApiKey(key, hash)
      } finally {
        drop()
      }
    },
    async revokeApiKey(id, at) {
      try {
        return await store.revokeApiKey(id, at)
      } finally {
        drop()
      }
    },
  }
}
