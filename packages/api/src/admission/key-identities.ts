/**
 * Who each API key is, remembered per process, so that a request need not wait for its key to be
 * read before it reads what it asked for.
 * - A key's id, organization and mode never change once it exists; only its revocation does. So
 *   they are remembered (lru-cache, the least recently used making room), and whether the key may
 *   still be used is read from the store on EVERY request: a revoked key is refused from the next
 *   request on, wherever it was revoked (another replica, the CLI).
 * - A key seen before: the caller is known at once, and the check runs beside the route's own reads
 *   (on the edge, D1 and the rate-limit object are asked at the same time: one round trip).
 * - A key not seen before: it is read first (one round trip more, once per key and process).
 * - A key that is unknown or revoked is never remembered, and one that fails its check is forgotten.
 *
 * That pays where reading a key is a network round trip (D1, PostgreSQL). Where it is a look in
 * the process's own cache (SQLite on Node: the store's read cache), `readKeyEachTime` reads it
 * before the route, as ever, and the route has nothing to wait for.
 */
import type { Store } from '@wf/storage'
import { LRUCache } from 'lru-cache'
import type { Caller } from '../env.js'

/** A key's caller, and the check of the key still being valid when it was not read just now. */
export interface Identified {
  caller: Caller
  /** Resolves to whether the key is still valid (false: unknown or revoked now); undefined: it was just read. */
  check: Promise<boolean> | undefined
}

/** How authenticate.ts turns a key's hash into its caller. */
export interface KeyResolver {
  /** The caller of the key with this hash; undefined when no valid key has it. */
  identify(store: Store, hash: string): Promise<Identified | undefined>
}

/** Reads the key before the route, on every request. */
export const readKeyEachTime: KeyResolver = { identify: readKey }

async function readKey(store: Store, hash: string): Promise<Identified | undefined> {
  const key = await store.findApiKeyByHash(hash)
  if (key === undefined || key.revoked_at !== null) return undefined
  return { caller: { keyId: key.id, organizationId: key.organization_id, mode: key.mode }, check: undefined }
}

export interface KeyIdentitiesOptions {
  /** Keys remembered; beyond it, the least recently used is forgotten (it is read again when next seen). */
  maxKeys?: number
}

export class KeyIdentities implements KeyResolver {
  readonly #known: LRUCache<string, Caller>

  constructor({ maxKeys = 10_000 }: KeyIdentitiesOptions = {}) {
    this.#known = new LRUCache({ max: maxKeys })
  }

  async identify(store: Store, hash: string): Promise<Identified | undefined> {
    const known = this.#known.get(hash)
    if (known !== undefined) return { caller: known, check: this.#check(store, hash, known) }
    const read = await readKey(store, hash)
    // Frozen: the one caller object is shared by every later request of the key.
    if (read !== undefined) this.#known.set(hash, Object.freeze(read.caller))
    return read
  }

  /** How many keys are remembered (for tests and the report of a bound). */
  get size(): number {
    return this.#known.size
  }

  async #check(store: Store, hash: string, caller: Caller): Promise<boolean> {
    const key = await store.findApiKeyByHash(hash)
    // The row must still be the remembered key: with one database it always is, unless revoked.
    const valid =
      key !== undefined &&
      key.revoked_at === null &&
      key.id === caller.keyId &&
      key.organization_id === caller.organizationId &&
      key.mode === caller.mode
    if (!valid) this.#known.delete(hash)
    return valid
  }
}
