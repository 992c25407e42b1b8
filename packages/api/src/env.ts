/** What the app is given (dependencies and settings) and what middleware puts on the context. */
import type { Caller, DomainContext, DomainIds } from '@wf/domain'
import type { KeyResolver } from './admission/key-identities.js'
import type { RateLimiter } from './rate-limit/limiter.js'

export type { Caller, Clock, Sha256Hex } from '@wf/domain'

/** The verbs' ids, and request ids. */
export interface IdGenerator extends DomainIds {
  request(): string
}

/** One JSON object per line; never given a secret. */
export interface Logger {
  info(entry: Record<string, unknown>): void
  error(entry: Record<string, unknown>): void
}

export interface Settings {
  /** Enables the admin endpoints; undefined: they do not exist (404). */
  adminToken?: string | undefined
  rateLimit: { rps: number; burst: number }
}

/** The verbs' context (store, clock, ids, hash, the queue of changes) and what HTTP adds. */
export interface Deps extends DomainContext {
  ids: IdGenerator
  /** How a key becomes the caller: `readKeyEachTime`, or `KeyIdentities` (one per app) where a key read is a round trip. */
  keys: KeyResolver
  /**
   * 'sequential': a request is admitted (key valid, rate allowed) before its route starts.
   * 'overlapped': the route's reads run while the key's check and the limiter's decision are in
   * flight; its writes and its answer wait for them (middleware/admit.ts). For the edge, where each
   * is a network round trip.
   */
  admission: 'sequential' | 'overlapped'

  rateLimiter: RateLimiter
  logger: Logger
  settings: Settings
}

export interface AppEnv {
  Variables: {
    deps: Deps
    requestId: string
    caller: Caller
    /** The caller's key still being checked (a remembered key); undefined: it was read for this request. */
    keyCheck: Promise<boolean> | undefined
    /** The parsed JSON body of a write (after size, content-type and JSON checks). */
    body: unknown
  }
}
