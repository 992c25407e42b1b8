/**
 * The Node server's rate limiter with replicas: the shared budget (Redis or PostgreSQL) while its
 * store answers, each replica's own in-process buckets while it does not.
 *
 * Why this fail mode: refusing every request while the store is away would turn a cache outage
 * into an API outage, and letting every request through would drop the limit just when the system
 * is weakest. Deciding locally keeps burst + rps per key on each replica, so the total stays within
 * replicas × budget. A take waits on the store at most `timeoutMs`; after a failure takes skip the
 * store for `pauseMs` (a circuit breaker: a store that hangs costs one timeout per pause, not one
 * per request), then one take tries it again. Going away and coming back are logged once each.
 * `take` never throws.
 *
 * The in-process buckets are used only while the store is away; they start full, as a new
 * replica's would.
 */
import { InMemoryRateLimiter, type Logger, type RateDecision, type RateLimitConfig, type RateLimiter } from '@wf/api'

export interface FallbackRateLimiterOptions {
  /** The limiter every replica shares: RedisRateLimiter or PostgresRateLimiter. */
  shared: RateLimiter
  /** The same limits as the shared limiter's, for the in-process buckets. */
  config: RateLimitConfig
  logger: Logger
  /** Names the store in the log lines, e.g. `redis`. */
  store: string
  /**
   * How long a take waits for the store before deciding in process (ms). Default 1000: the wait is
   * also this process's own event-loop delay, and on a busy machine a short one took slowness here
   * for an outage there, and let a storm past the shared budget.
   */
  timeoutMs?: number
  /** After a failure, how long takes do not ask the store (ms). Default 1000. */
  pauseMs?: number
  /** A monotonic clock in ms for the pause (tests pass their own). Default `performance.now`. */
  clock?: () => number
}

export class FallbackRateLimiter implements RateLimiter {
  private readonly shared: RateLimiter
  private readonly local: InMemoryRateLimiter
  private readonly logger: Logger
  private readonly store: string
  private readonly timeoutMs: number
  private readonly pauseMs: number
  private readonly clock: () => number
  /** Logged as unreachable and not yet back. */
  private down = false
  /** While down: the store is not asked before this instant (clock ms)... */
  private retryAt = 0
  /** ...nor while one take is already asking it. */
  private probing = false

  constructor({
    shared,
    config,
    logger,
    store,
    timeoutMs = 1000,
    pauseMs = 1000,
    clock = () => performance.now(),
  }: FallbackRateLimiterOptions) {
    this.shared = shared
    this.local = new InMemoryRateLimiter(config)
    this.logger = logger
    this.store = store
    this.timeoutMs = timeoutMs
    this.pauseMs = pauseMs
    this.clock = clock
  }

  /** True while the store is taken for unreachable (takes are decided in process). */
  get degraded(): boolean {
    return this.down
  }

  async take(key: string, nowMs: number): Promise<RateDecision> {
    if (this.down && (this.probing || this.clock() < this.retryAt)) return this.local.take(key, nowMs)
    // Only a take sent while the store was down may say it is back: one sent before the failure and
    // answered late says nothing about now.
    const probe = this.down
    if (probe) this.probing = true
    try {
      const decision = await withTimeout(() => this.shared.take(key, nowMs), this.timeoutMs)
      if (probe) this.cameBack()
      return decision
    } catch (error) {
      if (probe || !this.down) this.wentAway(error)
      return this.local.take(key, nowMs)
    } finally {
      if (probe) this.probing = false
    }
  }

  private wentAway(error: unknown) {
    this.retryAt = this.clock() + this.pauseMs
    if (this.down) return
    this.down = true
    this.logger.error({
      msg: 'rate-limit store unreachable: limiting in process on each replica until it answers',
      store: this.store,
      error: errorText(error),
    })
  }

  private cameBack() {
    this.down = false
    this.logger.info({ msg: 'rate-limit store back: limits shared across replicas again', store: this.store })
  }
}

/** The store's answer, or a rejection after `ms`; a synchronous throw becomes a rejection. */
function withTimeout<T>(run: () => T | Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
    const settle =
      <A>(then: (a: A) => void) =>
      (a: A) => {
        clearTimeout(timer)
        then(a)
      }
    // A late answer or failure settles nothing: the promise is already rejected.
    new Promise<T>((inner) => inner(run())).then(settle(resolve), settle(reject))
  })
}

/**
 * The error's message for the log: no stack; credentials in a URL are masked. Node gives a failed
 * connect to several addresses as an AggregateError with an empty message, so its parts are used.
 */
function errorText(error: unknown): string {
  let text: string
  if (error instanceof AggregateError && !error.message)
    text = error.errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ')
  else if (error instanceof Error) text = error.message || error.name
  else text = String(error)
  return text.replace(/\/\/[^/@\s]*@/g, '//***@').slice(0, 300)
}
