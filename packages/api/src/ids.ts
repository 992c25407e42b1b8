/**
 * Opaque IDs with a type prefix. Workflow IDs are monotonic ULIDs: they sort by creation time and
 * increase strictly within one process, also within one millisecond, which cursor pagination
 * relies on. Secrets are 256 random bits.
 */
import { monotonicFactory } from 'ulid'
import type { IdGenerator } from './env.js'

/**
 * ulid's default PRNG asks crypto for one byte per character, 16 calls per new millisecond (3 % of
 * a keyed GET). This one draws 256 bytes at a time and hands them out: the same source, one call
 * in 16 ids. byte / 256 picks each of the 32 characters with equal chance (256 = 8 × 32).
 */
export function pooledRandom(poolSize = 256): () => number {
  const pool = new Uint8Array(poolSize)
  let next = poolSize
  return () => {
    if (next === poolSize) {
      crypto.getRandomValues(pool)
      next = 0
    }
    return pool[next++]! / 256
  }
}

export function createIdGenerator(): IdGenerator {
  const next = monotonicFactory(pooledRandom())
  return {
    workflow: () => `wf_${next()}`,
    organization: () => `org_${next()}`,
    apiKey: () => `key_${next()}`,
    request: () => `req_${next()}`,
  }
}

export const WORKFLOW_ID = /^wf_[0-9A-HJKMNP-TV-Z]{26}$/

function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** A new API key secret: `wf_live_…` or `wf_sandbox_…` followed by 256 random bits. */
export function newKeySecret(mode: 'live' | 'sandbox'): string {
  return `wf_${mode}_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`
}

/** Secrets have this shape; anything else is refused before it reaches the database. */
export const KEY_SECRET = /^wf_(live|sandbox)_[A-Za-z0-9_-]{43}$/

/** What people see of a key: enough to tell keys apart, far too little to guess it. */
export function keyPrefix(secret: string): string {
  return secret.slice(0, secret.indexOf('_', 3) + 5)
}
