/**
 * Per-key token buckets (contract §6). The bucket arithmetic is pure so that the in-process limiter
 * here (Node: one process owns the database) and a shared one (the edge's Durable Object) agree.
 */

export interface RateLimitConfig {
  /** Tokens added per second. */
  rps: number
  /** Bucket size: the most requests at once. */
  burst: number
}

export interface RateDecision {
  allowed: boolean
  /** RateLimit-Limit: the burst. */
  limit: number
  /** RateLimit-Remaining: whole tokens left after this request. */
  remaining: number
  /** RateLimit-Reset: whole seconds until the bucket is full again. */
  resetSeconds: number
  /** Retry-After for a refused request: whole seconds, at least 1. */
  retryAfterSeconds: number
}

export interface RateLimiter {
  take(key: string, nowMs: number): RateDecision | Promise<RateDecision>
}

export interface BucketState {
  tokens: number
  updatedMs: number
}

/**
 * Refills the bucket for the time passed, then takes one token if there is one. The stamp never
 * moves back: with replicas whose clocks differ a little, a take stamped by a clock that is behind
 * would otherwise let the next take refill the same interval twice.
 */
export function takeToken(
  state: BucketState | undefined,
  nowMs: number,
  config: RateLimitConfig,
): { state: BucketState; decision: RateDecision } {
  const elapsed = state ? Math.max(0, nowMs - state.updatedMs) / 1000 : 0
  const before = state ? Math.min(config.burst, state.tokens + elapsed * config.rps) : config.burst
  const decision = decide(before, config)
  return {
    state: { tokens: decision.allowed ? before - 1 : before, updatedMs: state ? Math.max(state.updatedMs, nowMs) : nowMs },
    decision,
  }
}

/**
 * The decision and its headers for a bucket holding `before` tokens once refilled: one definition
 * for every limiter, also those whose refill runs in a shared store (Redis, PostgreSQL).
 */
export function decide(before: number, { rps, burst }: RateLimitConfig): RateDecision {
  const allowed = before >= 1
  const tokens = allowed ? before - 1 : before
  return {
    allowed,
    limit: burst,
    remaining: Math.floor(tokens),
    resetSeconds: Math.ceil((burst - tokens) / rps),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / rps)),
  }
}

/** In-process buckets: right when one process serves every request of a key. */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, BucketState>()

  constructor(private readonly config: RateLimitConfig) {}

  take(key: string, nowMs: number): RateDecision {
    const { state, decision } = takeToken(this.buckets.get(key), nowMs, this.config)
    this.buckets.set(key, state)
    return decision
  }
}
