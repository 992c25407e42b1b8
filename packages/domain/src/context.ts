/** What every verb is given: the store, a clock, ids, a hash, and the queue of changes per workflow. */
import type { Store } from '@wf/storage'
import type { KeyedQueue } from './one-at-a-time.js'

export interface Clock {
  now(): Date
}

/** New ids. Workflow ids increase strictly within a process, also within one millisecond (pagination relies on it). */
export interface DomainIds {
  workflow(): string
  organization(): string
  apiKey(): string
}

/** SHA-256 of a string as lowercase hex (Web Crypto everywhere; Node passes its faster synchronous one). */
export type Sha256Hex = (text: string) => string | Promise<string>

export interface DomainContext {
  store: Store
  clock: Clock
  ids: DomainIds
  sha256Hex: Sha256Hex
  /** Changes to one workflow wait for each other here (one-at-a-time.ts): one queue per app, never module state. */
  changes: KeyedQueue
}

/** Who is asking: an API key of an organization, as authenticated by the caller of the verb. */
export interface Caller {
  keyId: string
  organizationId: string
  mode: 'live' | 'sandbox'
}
