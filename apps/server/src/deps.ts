/**
 * Builds the API's dependencies once for this process: the store the settings name (database.ts)
 * and the rate limiter, per process or shared by every replica (rate-limit/), and what must be
 * closed on the way out.
 */
import { createIdGenerator, type Deps, InMemoryRateLimiter, type Logger, type RateLimiter, readKeyEachTime } from '@wf/api'
import { oneAtATime } from '@wf/domain'
import { openStore } from './database.js'
import { startHousekeeping } from './housekeeping.js'
import { jsonLogger } from './logger.js'
import { nodeSha256Hex } from './node-hash.js'
import { createPostgresPool, createRedisClient, FallbackRateLimiter, PostgresRateLimiter, RedisRateLimiter } from './rate-limit/index.js'
import type { ServerSettings } from './settings.js'

export interface Resources {
  /** Where the rate-limit buckets are: memory, redis or postgres. */
  rateLimitStore: ServerSettings['rateLimitStore']
  isEmpty(): Promise<boolean>
  /** Stops the housekeeping, then closes the limiter's connections and the database. */
  close(): Promise<void>
}

/** How long the server waits at start for the limiter's store before starting without it. */
const LIMITER_READY_MS = 3_000

export async function buildDeps(settings: ServerSettings, logger: Logger = jsonLogger): Promise<{ deps: Deps; resources: Resources }> {
  const opened = await openStore(settings.database, logger)
  const clock = { now: () => new Date() }
  let limiter: { rateLimiter: RateLimiter; close(): Promise<void> }
  try {
    limiter = await rateLimiterFor(settings, logger)
  } catch (error) {
    await opened.close()
    throw error
  }
  const deps: Deps = {
    store: opened.store,
    clock,
    ids: createIdGenerator(),
    sha256Hex: nodeSha256Hex,
    changes: oneAtATime(),
    // The key, then the rate limit, then the route: on SQLite the key is a look in the read cache,
    // and on PostgreSQL and Redis a round trip within the machine or the LAN, where overlapping them
    // cost more work per request than it saved (BENCHMARKS.md, issue 15). The edge overlaps them.
    keys: readKeyEachTime,
    admission: 'sequential',
    rateLimiter: limiter.rateLimiter,
    logger,
    settings,
  }
  const housekeeping = startHousekeeping({ store: opened.store, clock, logger })
  return {
    deps,
    resources: {
      rateLimitStore: settings.rateLimitStore,
      isEmpty: opened.isEmpty,
      async close() {
        await housekeeping.stop()
        await limiter.close()
        await opened.close()
      },
    },
  }
}

/**
 * `memory`: one process owns the SQLite file, so its buckets see every request of a key (on
 * PostgreSQL, chosen explicitly, each replica has its own). `redis` and `postgres`: one budget per
 * key across the replicas; while the store does not answer, each replica decides with its own
 * buckets (FallbackRateLimiter says why), and a store that is away at start does not stop the server.
 */
async function rateLimiterFor(settings: ServerSettings, logger: Logger): Promise<{ rateLimiter: RateLimiter; close(): Promise<void> }> {
  const config = settings.rateLimit
  const { rateLimitStore: store } = settings
  if (store === 'memory') return { rateLimiter: new InMemoryRateLimiter(config), close: async () => {} }
  let shared: RedisRateLimiter | PostgresRateLimiter
  let close: () => Promise<void>
  if (store === 'redis') {
    const redis = createRedisClient(settings.redisUrl!)
    shared = new RedisRateLimiter({ redis, config })
    close = async () => {
      redis.disconnect()
    }
  } else {
    if (settings.database.engine !== 'postgres') throw new Error('the postgres rate-limit store needs WF_DATABASE_URL')
    const pool = createPostgresPool(settings.database.url)
    shared = new PostgresRateLimiter({ pool, config })
    close = () => pool.end()
  }
  try {
    await withDeadline(shared.ensure(), LIMITER_READY_MS)
  } catch (error) {
    logger.error({
      msg: 'rate-limit store not ready at start; limiting per process until it answers',
      store,
      error: (error as Error).message,
    })
  }
  return { rateLimiter: new FallbackRateLimiter({ shared, config, logger, store }), close }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
}
