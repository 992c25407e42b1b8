/**
 * Node only: the two reads on every request's path, cached in memory, with nothing stale served.
 * - API keys by hash (every /v1 request) and workflows as wire JSON (every GET of one workflow).
 * - This store's own writes drop what they change once they are committed: all keys after a key
 *   write, the one workflow after a workflow write.
 * - `dataVersion` (SQLite's `PRAGMA data_version`, drivers/better-sqlite3.ts) changes when another
 *   connection commits (the `wf keys revoke` CLI, or another server on the same file): then
 *   everything is dropped. It is read once per event-loop turn that has a lookup, so a revocation
 *   is seen by every request that arrives after it, whichever process made it.
 * - Each cache holds at most `maxEntries` (lru-cache): the least recently used entry makes room.
 *
 * `CachedStore` implements every `Store` method itself, each one saying what it does to the cache
 * (nothing is passed through by spreading the inner store): a method added to `Store` fails to
 * compile here until it is written, and read-cache.test.ts walks `STORE_METHODS` to check that
 * every write leaves no cached read stale.
 */
import { LRUCache } from 'lru-cache'
import type { ApiKey, Store } from './types.js'

/** A cached "not found" (lru-cache holds no `undefined`): an unknown hash is worth caching too. */
const MISS = Symbol('not found')
type Entry<V> = V | typeof MISS
type WorkflowJson = { version: number; json: string }

export interface ReadCacheOptions {
  /** A value that changes when another connection commits (`dataVersionOf(sqlite)` on Node). */
  dataVersion: () => unknown
  /** Entries per cache (keys, workflows). */
  maxEntries?: number
}

/**
 * The methods are own properties (arrow functions), like those of the plain object this class
 * replaced: a caller may pass one detached or spread the store (packages/api's tests do).
 */
export class CachedStore implements Store {
  readonly #inner: Store
  readonly #keys: LRUCache<string, Entry<ApiKey>>
  readonly #workflows: LRUCache<string, Entry<WorkflowJson>>
  readonly #dataVersion: () => unknown
  #seenVersion: unknown
  /** Bumped whenever something is dropped: a read that began before must not store what it read. */
  #generation = 0
  #lookedThisTurn = false

  constructor(inner: Store, { dataVersion, maxEntries = 10_000 }: ReadCacheOptions) {
    this.#inner = inner
    this.#keys = new LRUCache({ max: maxEntries })
    this.#workflows = new LRUCache({ max: maxEntries })
    this.#dataVersion = dataVersion
    this.#seenVersion = dataVersion()
  }

  // Cached reads.

  readonly findApiKeyByHash: Store['findApiKeyByHash'] = (hash) =>
    this.#readThrough(this.#keys, hash, () => this.#inner.findApiKeyByHash(hash))

  readonly getWorkflowJson: Store['getWorkflowJson'] = (organizationId, id) =>
    this.#readThrough(this.#workflows, workflowKey(organizationId, id), () => this.#inner.getWorkflowJson(organizationId, id))

  // Writes that change what is cached: each drops it once the write is over.

  /** A new key may answer a hash whose miss is cached: every key is dropped. */
  readonly createApiKey: Store['createApiKey'] = (key, hash) => this.#writeThen(() => this.#inner.createApiKey(key, hash), this.#dropKeys)

  /** The key is cached under its hash, which the id does not give: every key is dropped. */
  readonly revokeApiKey: Store['revokeApiKey'] = (id, at) => this.#writeThen(() => this.#inner.revokeApiKey(id, at), this.#dropKeys)

  readonly insertWorkflow: Store['insertWorkflow'] = (workflow, idempotency) =>
    this.#writeThen(
      () => this.#inner.insertWorkflow(workflow, idempotency),
      () => this.#workflows.delete(workflowKey(workflow.organization_id, workflow.id)),
    )

  readonly updateWorkflow: Store['updateWorkflow'] = (next, expectedVersion, writtenBy) =>
    this.#writeThen(
      () => this.#inner.updateWorkflow(next, expectedVersion, writtenBy),
      () => this.#workflows.delete(workflowKey(next.organization_id, next.id)),
    )

  // Writes that change nothing cached: no cached read returns an organization or an idempotency record.

  readonly createOrganization: Store['createOrganization'] = (org) => this.#inner.createOrganization(org)
  readonly purgeIdempotencyRecords: Store['purgeIdempotencyRecords'] = (before, limit) => this.#inner.purgeIdempotencyRecords(before, limit)

  // Reads not cached: straight to the database.

  readonly ping: Store['ping'] = () => this.#inner.ping()
  readonly getOrganization: Store['getOrganization'] = (id) => this.#inner.getOrganization(id)
  readonly listApiKeys: Store['listApiKeys'] = (organizationId) => this.#inner.listApiKeys(organizationId)
  readonly getWorkflow: Store['getWorkflow'] = (organizationId, id) => this.#inner.getWorkflow(organizationId, id)
  readonly listWorkflows: Store['listWorkflows'] = (organizationId, query) => this.#inner.listWorkflows(organizationId, query)
  readonly listVersions: Store['listVersions'] = (organizationId, workflowId) => this.#inner.listVersions(organizationId, workflowId)
  readonly getVersion: Store['getVersion'] = (organizationId, workflowId, version) =>
    this.#inner.getVersion(organizationId, workflowId, version)
  readonly findIdempotencyRecord: Store['findIdempotencyRecord'] = (organizationId, key, notBefore) =>
    this.#inner.findIdempotencyRecord(organizationId, key, notBefore)

  // The machinery.

  readonly #dropKeys = () => this.#keys.clear()

  readonly #nextTurn = () => {
    this.#lookedThisTurn = false
  }

  /**
   * Drops everything if another connection committed since the last look. Requests read in one
   * event-loop turn share one look at data_version (a visible part of a GET when looked at twice per
   * request); a request that arrives after another connection's commit is read in a later turn,
   * and so sees it.
   */
  #checkOtherConnections(): void {
    if (this.#lookedThisTurn) return
    this.#lookedThisTurn = true
    setImmediate(this.#nextTurn)
    const version = this.#dataVersion()
    if (version !== this.#seenVersion) {
      this.#seenVersion = version
      this.#generation++
      this.#keys.clear()
      this.#workflows.clear()
    }
  }

  async #readThrough<V extends object>(
    cache: LRUCache<string, Entry<V>>,
    key: string,
    read: () => Promise<V | undefined>,
  ): Promise<V | undefined> {
    this.#checkOtherConnections()
    const cached = cache.get(key)
    if (cached !== undefined) return cached === MISS ? undefined : cached
    const started = this.#generation
    const value = await read()
    if (started === this.#generation) cache.set(key, value === undefined ? MISS : Object.freeze(value))
    return value
  }

  /** Runs a write, then drops what it may have changed, whether it succeeded or not. */
  async #writeThen<T>(write: () => Promise<T>, drop: () => void): Promise<T> {
    try {
      return await write()
    } finally {
      this.#generation++
      drop()
    }
  }
}

function workflowKey(organizationId: string, id: string): string {
  return `${organizationId}/${id}`
}
