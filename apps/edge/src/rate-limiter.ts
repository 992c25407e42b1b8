/**
 * Rate limits on the edge (contract §6): a Durable Object per API key holds its token bucket, so
 * every isolate, everywhere, draws from the same budget. The arithmetic is @wf/api's `takeToken`,
 * the same as the Node server's in-process limiter.
 */

import { DurableObject } from 'cloudflare:workers'
import { type BucketState, type RateDecision, type RateLimitConfig, type RateLimiter, takeToken } from '@wf/api'

export class RateLimiterObject extends DurableObject {
  // In memory: an evicted object starts with a full bucket, which only ever errs towards allowing.
  private bucket: BucketState | undefined

  /** Takes one token by this object's own clock (one clock for every caller). */
  take(config: RateLimitConfig): RateDecision {
    const { state, decision } = takeToken(this.bucket, Date.now(), config)
    this.bucket = state
    return decision
  }
}

export class DurableObjectRateLimiter implements RateLimiter {
  constructor(
    private readonly namespace: DurableObjectNamespace<RateLimiterObject>,
    private readonly config: RateLimitConfig,
  ) {}

  async take(key: string): Promise<RateDecision> {
    return this.namespace.get(this.namespace.idFromName(key)).take(this.config)
  }
}
