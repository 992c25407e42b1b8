/** What the app is given (dependencies and settings) and what middleware puts on the context. */
import type { Store } from '@wf/storage'
import type { RateLimiter } from './rate-limit/limiter.js'

export interface Clock {
  now(): Date
}

export interface IdGenerator {
  /** Strictly increasing within a process, also within one millisecond (pagination relies on it). */
  workflow(): string
  organization(): string
  apiKey(): string
  request(): string
}

/** One JSON object per line; never given a secret. */
export interface Logger {
  info(entry: Record<string, unknown>): void
  error(entry: Record<string, unknown>): void
}

export interface Settings {
  /** Enables the admin endpoints; undefined: they do not exist (404). */
  adminToken?: string
  rateLimit: { rps: number; burst: number }
}

/** SHA-256 of a string as lowercase hex. */
export type Sha256Hex = (text: string) => string | Promise<string>

export interface Deps {
  store: Store
  clock: Clock
  ids: IdGenerator
  /**
   * Hashes key secrets and idempotent request bodies. Web Crypto (`sha256Hex` in hash.ts) works
   * everywhere; Node passes its synchronous node:crypto one, because Web Crypto on Node goes
   * through a thread pool and cost 17 % of a keyed GET (BENCHMARKS.md).
   */
  sha256Hex: Sha256Hex
  rateLimiter: RateLimiter
  logger: Logger
  settings: Settings
}

/** The authenticated caller of a /v1 request. */
export interface Caller {
  keyId: string
  organizationId: string
  mode: 'live' | 'sandbox'
}

export interface AppEnv {
  Variables: {
    deps: Deps
    requestId: string
    caller: Caller
    /** The parsed JSON body of a write (after size, content-type and JSON checks). */
    body: unknown
  }
}
