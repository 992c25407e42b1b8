/**
 * Rate limits shared by every replica through Redis (contract §6: one budget per API key).
 *
 * One Lua script per take refills and takes atomically, so replicas racing on a key cannot both
 * spend its last token. The script does @wf/api's `takeToken` arithmetic in the same IEEE doubles
 * in the same order and hands back the refilled level; the decision (headers) is then derived in
 * JS by `takeToken` itself. A bucket is a hash {tokens, updatedMs} under `<prefix>:<key>` that
 * expires once it would be full again, since a full bucket is what a missing one means.
 *
 * `nowMs` comes from the caller, as with every `RateLimiter`: the replicas' clocks must be kept in
 * step (NTP). A replica whose clock is behind never adds tokens (elapsed is at least 0) and never
 * moves a bucket's stamp back (it keeps the later one), so the refills of all replicas together
 * never exceed the time that has passed on the fastest clock.
 */
import { decide, type RateDecision, type RateLimitConfig, type RateLimiter } from '@wf/api'
import { type Cluster, Redis } from 'ioredis'
import { assertConfig } from './config.js'

/** KEYS[1]: the bucket. ARGV: nowMs, rps, burst, expiryMarginMs. Returns the level before the take. */
const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
local rps = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updatedMs')
local before = burst
local stamp = ARGV[1]
if state[1] and state[2] then
  local updated = tonumber(state[2])
  before = math.min(burst, tonumber(state[1]) + math.max(0, now - updated) / 1000 * rps)
  if updated > now then stamp = state[2] end
end
local tokens = before
if before >= 1 then tokens = before - 1 end
-- Numbers travel as text with 17 significant digits, which reads back as the very same double
-- (a Lua number returned to Redis would become an integer reply).
if tokens < burst then
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'updatedMs', stamp)
  redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rps * 1000) + tonumber(ARGV[4]))
else
  redis.call('DEL', KEYS[1])
end
return string.format('%.17g', before)
`

const COMMAND = 'wfRateLimitTake'

type TakeScript = (key: string, nowMs: string, rps: string, burst: string, expiryMarginMs: string) => Promise<string>

export interface RedisRateLimiterOptions {
  /** A client from `createRedisClient`, or one set up alike to fail fast. */
  redis: Redis | Cluster
  config: RateLimitConfig
  /** Buckets live under `<prefix>:<key>`. Default `wf:rate-limit`. */
  prefix?: string
  /**
   * How long (ms) a bucket outlives the time it takes to refill fully: a replica whose clock is
   * behind by less than this still finds the bucket. Default 1000.
   */
  expiryMarginMs?: number
}

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis | Cluster
  private readonly config: RateLimitConfig
  private readonly prefix: string
  private readonly script: TakeScript
  // The same for every take: turned into text once.
  private readonly args: readonly [rps: string, burst: string, expiryMarginMs: string]

  constructor({ redis, config, prefix = 'wf:rate-limit', expiryMarginMs = 1000 }: RedisRateLimiterOptions) {
    assertConfig(config)
    if (!Number.isInteger(expiryMarginMs) || expiryMarginMs < 0) throw new RangeError('expiryMarginMs must be a whole number ≥ 0')
    this.redis = redis
    this.config = config
    this.prefix = prefix
    // defineCommand sends EVALSHA and falls back to EVAL when the server does not have the script
    // (first use, or after a restart or SCRIPT FLUSH).
    redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE_SCRIPT })
    const client = redis as unknown as Record<typeof COMMAND, TakeScript>
    this.script = (...args) => client[COMMAND](...args)
    this.args = [String(config.rps), String(config.burst), String(expiryMarginMs)]
  }

  /**
   * Resolves once the client is connected and ready, or rejects after `timeoutMs`. A client with no
   * offline queue refuses commands until then, so a server that takes requests before this would
   * log the store as unreachable at every start.
   */
  async ensure(timeoutMs = 5000): Promise<void> {
    const redis = this.redis
    if (redis.status === 'ready') return
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer)
        redis.off('ready', onReady)
        if (error) reject(error)
        else resolve()
      }
      const onReady = () => done()
      const timer = setTimeout(() => done(new Error(`Redis not ready within ${timeoutMs} ms (status ${redis.status})`)), timeoutMs)
      redis.on('ready', onReady)
      // A client made with lazyConnect waits for a first command or connect().
      if (redis.status === 'wait') redis.connect().catch(() => {})
    })
  }

  async take(key: string, nowMs: number): Promise<RateDecision> {
    if (!Number.isFinite(nowMs)) throw new RangeError(`nowMs must be a finite number, got ${nowMs}`)
    // String(number) is the shortest text that reads back as the same double, in Lua as in JS.
    const reply = await this.script(`${this.prefix}:${key}`, String(nowMs), ...this.args)
    const before = Number(reply)
    if (typeof reply !== 'string' || !Number.isFinite(before)) throw new Error(`unexpected reply from the rate-limit script: ${reply}`)
    return decide(before, this.config)
  }
}

export interface RedisClientOptions {
  /** A command not answered within this (ms) fails. Default 1000. */
  commandTimeoutMs?: number
  /** A connection attempt not completed within this (ms) fails and is retried. Default 1000. */
  connectTimeoutMs?: number
}

/**
 * A client that fails at once while Redis is away instead of queueing the request: no offline
 * queue, no resending of commands cut off by a disconnect, and a command timeout. It reconnects on
 * its own (ioredis's backoff), so takes are shared again once Redis is back.
 */
export function createRedisClient(url: string, { commandTimeoutMs = 1000, connectTimeoutMs = 1000 }: RedisClientOptions = {}): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
  })
  // Connection errors are also emitted as events, on every reconnect attempt; without a listener
  // ioredis prints each with its stack. The failed takes are what is reported (once, by
  // FallbackRateLimiter).
  redis.on('error', () => {})
  return redis
}
