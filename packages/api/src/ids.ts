/**
 * Opaque IDs with a type prefix. Workflow IDs are monotonic ULIDs: they sort by creation time and
 * increase strictly within one process, also within one millisecond, which cursor pagination
 * relies on. (API key secrets: @wf/domain's keys.ts.)
 */
import { monotonicFactory } from 'ulid'
import type { IdGenerator } from './env.js'

/**
 * ulid's default PRNG asks crypto for one byte per character, 16 calls per new millisecond (a visible part of
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
