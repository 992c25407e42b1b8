/**
 * Node only: the two reads on every request's path, cached in memory, with nothing stale served.
 * - API keys by hash (every /v1 request) and workflows as wire JSON (every GET of one workflow).
 * - This store's own writes drop what they change once they are committed: all keys after a key
 *   write, the one workflow after a workflow write.
 * - `PRAGMA data_version` changes when another connection commits (the `wf keys revoke` CLI, or
 *   another server on the same file): then everything is dropped. It is read once per event-loop
 *   turn that has a lookup, so a revocation is seen by every request that arrives after it,
 *   whichever process made it.
 * - Each cache holds at most `maxEntries`; the oldest entry makes room for a new one.
 */
import type Database from 'better-sqlite3'
import type { ApiKey, Store } from './types.js'

/** A bounded map whose oldest entry makes room; misses (undefined values) are cached too. */
class BoundedCache<V> {
  private readonly entries = new Map<string, V | undefined>()
  constructor(private readonly maxEntries: number) {}
  has(key: string) {
    return this.entries.has(key)
  }
  get(key: string) {
    return this.entries.get(key)
  }
  set(key: string, value: V | undefined) {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(key, value)
  }
  delete(key: string) {
    this.entries.delete(key)
  }
  clear() {
    this.entries.clear()
  }
}

export function withReadCache(store: Store, sqlite: Database.Database, maxEntries = 10_000): Store {
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck()
  let seenVersion = dataVersion.get()
  const keys = new BoundedCache<ApiKey>(maxEntries)
  const workflows = new BoundedCache<{ version: number; json: string }>(maxEntries)
  // Bumped whenever something is dropped: a read that began before must not store what it read.
  let generation = 0
  const dropAll = () => {
    generation++
    keys.clear()
    workflows.clear()
  }
  // Requests read in one event-loop turn share one look at data_version (it cost 10 % of a
  // GET when looked at twice per request); a request that arrives after another connection's
  // commit is read in a later turn, and so sees it.
  let lookedThisTurn = false
  const nextTurn = () => (lookedThisTurn = false)
  /** Drops everything if another connection committed since the last look. */
  const checkOtherConnections = () => {
    if (lookedThisTurn) return
    lookedThisTurn = true
    setImmediate(nextTurn)
    const version = dataVersion.get()
    if (version !== seenVersion) {
      seenVersion = version
      dropAll()
    }
  }
  async function readThrough<V>(cache: BoundedCache<V>, key: string, read: () => Promise<V | undefined>): Promise<V | undefined> {
    checkOtherConnections()
    if (cache.has(key)) return cache.get(key)
    const started = generation
    const value = await read()
    if (started === generation) cache.set(key, value && Object.freeze(value))
    return value
  }
  /** Runs a write, then drops what it may have changed, whether it succeeded or not. */
  async function writeThen<T>(write: () => Promise<T>, drop: () => void): Promise<T> {
    try {
      return await write()
    } finally {
      generation++
      drop()
    }
  }
  const workflowKey = (organizationId: string, id: string) => `${organizationId}/${id}`

  return {
    ...store,
    findApiKeyByHash: (hash) => readThrough(keys, hash, () => store.findApiKeyByHash(hash)),
    createApiKey: (key, hash) => writeThen(() => store.createApiKey(key, hash), () => keys.clear()),
    revokeApiKey: (id, at) => writeThen(() => store.revokeApiKey(id, at), () => keys.clear()),
    getWorkflowJson: (organizationId, id) =>
      readThrough(workflows, workflowKey(organizationId, id), () => store.getWorkflowJson(organizationId, id)),
    insertWorkflow: (workflow, idempotency) =>
      writeThen(() => store.insertWorkflow(workflow, idempotency), () => workflows.delete(workflowKey(workflow.organization_id, workflow.id))),
    updateWorkflow: (next, expectedVersion, writtenBy) =>
      writeThen(() => store.updateWorkflow(next, expectedVersion, writtenBy), () => workflows.delete(workflowKey(next.organization_id, next.id))),
  }
}
