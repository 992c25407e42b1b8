/**
 * The shared limiters against real servers: Redis and PostgreSQL must decide exactly as @wf/api's
 * `takeToken` applied one take after another (the in-process limiter, the edge's Durable Object),
 * and must spend a key's budget once however many replicas race for it.
 *
 * Needs Redis (WF_TEST_REDIS_URL) and PostgreSQL (WF_TEST_DATABASE_URL); a suite whose server is not
 * there is skipped with a message, or fails when WF_REQUIRE_SERVICES=1. Every run uses its own
 * Redis key prefix and its own database, and removes them afterwards.
 */
import { randomUUID } from 'node:crypto'
import { type BucketState, type RateDecision, type RateLimitConfig, type RateLimiter, takeToken } from '@wf/api'
import fc from 'fast-check'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createPostgresPool, createRedisClient, PostgresRateLimiter, RedisRateLimiter } from './index.js'
import { DATABASE_URL, describeWith, postgresProblem, REDIS_URL, redisProblem } from './test-services.js'

const RUN = `wf-test-rl-${randomUUID().slice(0, 8)}`

/** Deletes this run's keys under `prefix` only: the server is shared. */
async function deleteKeys(redis: Redis, prefix: string) {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    if (keys.length > 0) await redis.del(...keys)
    cursor = next
  } while (cursor !== '0')
}

// ---------------------------------------------------------------------------------------------
// The stores under one contract

interface Store {
  /** A limiter on this run's namespace, over replica 0's or replica 1's own client. */
  limiter(config: RateLimitConfig, replica?: 0 | 1): RateLimiter
  /** What the store holds for a key, as `takeToken` would. */
  state(key: string): Promise<BucketState | undefined>
}

const stores: { name: string; problem: string | undefined; setUp: () => Promise<Store>; tearDown: () => Promise<void> }[] = []

{
  const prefix = `${RUN}:redis`
  const clients: Redis[] = []
  let admin: Redis
  stores.push({
    name: 'RedisRateLimiter',
    problem: await redisProblem(),
    async setUp() {
      admin = new Redis(REDIS_URL)
      for (const _ of [0, 1]) clients.push(createRedisClient(REDIS_URL, { commandTimeoutMs: 30_000 }))
      return {
        limiter(config, replica = 0) {
          // A bucket outlives its refill by 10 minutes: the test's own clock jumps far ahead of the
          // real one, which would otherwise expire buckets that `takeToken` still holds.
          const limiter = new RedisRateLimiter({ redis: clients[replica]!, config, prefix, expiryMarginMs: 600_000 })
          const ready = limiter.ensure()
          return {
            async take(key, nowMs) {
              await ready
              return limiter.take(key, nowMs)
            },
          }
        },
        async state(key) {
          const [tokens, updatedMs] = await admin.hmget(`${prefix}:${key}`, 'tokens', 'updatedMs')
          return tokens === null || updatedMs === null ? undefined : { tokens: Number(tokens), updatedMs: Number(updatedMs) }
        },
      }
    },
    async tearDown() {
      for (const redis of clients) redis.disconnect()
      if (!admin) return
      await deleteKeys(admin, prefix)
      admin.disconnect()
    },
  })
}

{
  const database = RUN.replaceAll('-', '_')
  const url = new URL(DATABASE_URL)
  url.pathname = `/${database}`
  const pools: pg.Pool[] = []
  let ensured: Promise<void> | undefined
  stores.push({
    name: 'PostgresRateLimiter',
    problem: await postgresProblem(),
    async setUp() {
      const admin = new pg.Client({ connectionString: DATABASE_URL })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${database}`)
      await admin.end()
      for (const _ of [0, 1]) pools.push(createPostgresPool(url.href, { max: 8, timeoutMs: 30_000 }))
      const reader = pools[0]!
      return {
        limiter(config, replica = 0) {
          const limiter = new PostgresRateLimiter({ pool: pools[replica]!, config })
          ensured ??= limiter.ensure()
          return {
            async take(key, nowMs) {
              await ensured
              return limiter.take(key, nowMs)
            },
          }
        },
        async state(key) {
          const { rows } = await reader.query('SELECT tokens, updated_ms FROM wf_rate_limit_buckets WHERE key = $1', [key])
          return rows[0] && { tokens: rows[0].tokens, updatedMs: rows[0].updated_ms }
        },
      }
    },
    async tearDown() {
      await Promise.all(pools.map((pool) => pool.end()))
      const admin = new pg.Client({ connectionString: DATABASE_URL })
      await admin.connect()
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      await admin.end()
    },
  })
}

// ---------------------------------------------------------------------------------------------
// The model

/** `takeToken` applied one take after another, per key (the in-process limiter, the edge's object). */
function model(config: RateLimitConfig) {
  const buckets = new Map<string, BucketState>()
  return {
    take(key: string, nowMs: number): RateDecision {
      const { state, decision } = takeToken(buckets.get(key), nowMs, config)
      buckets.set(key, state)
      return decision
    },
    buckets,
  }
}

const configs = fc.record({
  rps: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.01, max: 1000, noNaN: true })),
  burst: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.double({ min: 1, max: 60, noNaN: true })),
})

/** Steps between takes (ms): none, a few ms, seconds, hours, and fractions of a ms. */
const forward = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 100 }),
  fc.integer({ min: 0, max: 5_000 }),
  fc.integer({ min: 0, max: 10_000_000 }),
  fc.double({ min: 0, max: 2_000, noNaN: true }),
)

const keys = fc.constantFrom('a', 'b', 'c')

// Sequences that land exactly on the edges: a refill to exactly one token (rps 10, 100 ms), to
// exactly the burst, and one ms short of them.
const edges: [RateLimitConfig, number, { key: string; dt: number }[]][] = [
  [{ rps: 10, burst: 3 }, 1_700_000_000_000, [0, 0, 0, 0, 100, 0, 99, 1, 300, 1].map((dt) => ({ key: 'a', dt }))],
  [{ rps: 3, burst: 2 }, 0, [0, 0, 0, 333, 1, 333, 334, 666, 667].map((dt) => ({ key: 'a', dt }))],
  [{ rps: 0.1, burst: 35 }, 1, [...Array(36).fill(0), 9_999, 1, 10_000].map((dt) => ({ key: 'b', dt }))],
]

let namespace = 0

for (const store of stores) {
  describeWith(store.name, store.problem, () => {
    let s: Store
    beforeAll(async () => {
      s = await store.setUp()
    })
    afterAll(() => store.tearDown())

    /** Plays the steps on the store and on the model: after every take, decision and stored state are equal. */
    async function play(config: RateLimitConfig, start: number, steps: { key: string; dt: number }[]) {
      const limiter = s.limiter(config)
      const expected = model(config)
      const run = `${namespace++}`
      const taken: { key: string; nowMs: number; decision: RateDecision }[] = []
      let now = start
      for (const [i, { key, dt }] of steps.entries()) {
        now += dt
        const got = await limiter.take(`${run}:${key}`, now)
        const want = expected.take(key, now)
        if (!sameDecision(got, want))
          throw new Error(`take ${i} (${key} at ${now}): store ${JSON.stringify(got)}, takeToken ${JSON.stringify(want)}`)
        // The stored level is bit for bit takeToken's: no rounding crept in through Lua, SQL or
        // text. (The headers are whole numbers and differ only on an edge; the level shows any ulp.)
        expect(await s.state(`${run}:${key}`)).toEqual(expected.buckets.get(key))
        taken.push({ key, nowMs: now, decision: got })
      }
      return taken
    }

    it('decides exactly as takeToken applied one take after another (times going forward)', async () => {
      await fc.assert(
        fc.asyncProperty(
          configs,
          fc.integer({ min: 0, max: 2e12 }),
          fc.array(fc.record({ key: keys, dt: forward }), { maxLength: 40 }),
          (c, t, steps) => play(c, t, steps).then(() => undefined),
        ),
        { numRuns: 100, examples: edges },
      )
    })

    it('keeps the later stamp when a clock is behind, so refills never exceed the time passed on the fastest clock', async () => {
      // Replicas' clocks a little apart: a take may carry an earlier time than the one before it.
      const skewed = fc.oneof(forward, fc.integer({ min: -5_000, max: 0 }))
      await fc.assert(
        fc.asyncProperty(configs, fc.array(fc.record({ key: keys, dt: skewed }), { maxLength: 40 }), async (c, steps) => {
          const taken = await play(c, 1_700_000_000_000, steps)
          if (taken.length === 0) return
          // A key's budget over the run: its burst plus what passed between the earliest and the
          // latest clock reading (plus a hair for the rounding of many small refills).
          const times = taken.map((t) => t.nowMs)
          const budget = c.burst + ((Math.max(...times) - Math.min(...times)) / 1000) * c.rps
          for (const key of ['a', 'b', 'c']) {
            const allowed = taken.filter((t) => t.key === key && t.decision.allowed).length
            expect(allowed).toBeLessThanOrEqual(budget * (1 + 1e-9))
          }
        }),
        { numRuns: 60 },
      )
    })

    it('spends a key’s burst exactly once when two replicas take 200 times at the same instant', async () => {
      const config = { rps: 25, burst: 35 }
      const replicas = [s.limiter(config, 0), s.limiter(config, 1)]
      const key = `${namespace++}:hot`
      const now = Date.now()
      const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => replicas[i % 2]!.take(key, now)))
      const allowed = decisions.filter((d) => d.allowed)
      expect(allowed).toHaveLength(35)
      // Each allowed take saw a different level: 34 left, 33 left, ..., 0 left.
      expect(allowed.map((d) => d.remaining).sort((a, b) => a - b)).toEqual(Array.from({ length: 35 }, (_, i) => i))
      for (const d of decisions.filter((d) => !d.allowed)) expect(d).toMatchObject({ remaining: 0, retryAfterSeconds: 1, limit: 35 })
    })
  })
}

function sameDecision(a: RateDecision, b: RateDecision): boolean {
  return (
    a.allowed === b.allowed &&
    a.limit === b.limit &&
    a.remaining === b.remaining &&
    a.resetSeconds === b.resetSeconds &&
    a.retryAfterSeconds === b.retryAfterSeconds
  )
}

// ---------------------------------------------------------------------------------------------
// What each store does on its own

describeWith('RedisRateLimiter: buckets in Redis', stores[0]!.problem, () => {
  const prefix = `${RUN}:redis-own`
  let redis: Redis
  beforeAll(async () => {
    redis = createRedisClient(REDIS_URL, { commandTimeoutMs: 30_000 })
  })
  afterAll(async () => {
    await deleteKeys(redis, prefix)
    redis.disconnect()
  })

  it('keeps a bucket until it would be full again, plus the margin, then lets it go', async () => {
    const limiter = new RedisRateLimiter({ redis, config: { rps: 0.01, burst: 5 }, prefix, expiryMarginMs: 1000 })
    await limiter.ensure()
    await limiter.take('slow', Date.now())
    // One token to refill at 0.01 per second: 100 s, plus 1 s. (Read a moment later: a little less.)
    const ttl = await redis.pttl(`${prefix}:slow`)
    expect(ttl).toBeGreaterThan(90_000)
    expect(ttl).toBeLessThanOrEqual(101_000)

    // Spent, and full again 5 ms later: the key goes (polled, not timed), and a missing bucket is a
    // full one even at the same instant, when a kept one would still be empty.
    const quick = new RedisRateLimiter({ redis, config: { rps: 1000, burst: 5 }, prefix, expiryMarginMs: 0 })
    const now = Date.now()
    for (let i = 0; i < 5; i++) await quick.take('quick', now)
    while ((await redis.exists(`${prefix}:quick`)) === 1) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(await quick.take('quick', now)).toMatchObject({ allowed: true, remaining: 4 })
  })

  it('stores the fraction of a token whole (Redis would cut a Lua number to an integer)', async () => {
    const limiter = new RedisRateLimiter({ redis, config: { rps: 3, burst: 2 }, prefix })
    await limiter.take('third', 0)
    await limiter.take('third', 0)
    await limiter.take('third', 100)
    const stored = await redis.hget(`${prefix}:third`, 'tokens')
    expect(stored).toMatch(/^0\.\d{15,}$/)
    expect(Number(stored)).toBe(takeToken({ tokens: 0, updatedMs: 0 }, 100, { rps: 3, burst: 2 }).state.tokens)
  })

  it('refuses a config it could not keep', () => {
    expect(() => new RedisRateLimiter({ redis, config: { rps: 0, burst: 5 }, prefix })).toThrow(RangeError)
    expect(() => new RedisRateLimiter({ redis, config: { rps: 1, burst: Number.NaN }, prefix })).toThrow(RangeError)
  })
})

describeWith('PostgresRateLimiter: its own table', stores[1]!.problem, () => {
  const database = `${RUN.replaceAll('-', '_')}_own`
  const url = new URL(DATABASE_URL)
  url.pathname = `/${database}`
  const pools: pg.Pool[] = []
  const pool = () => {
    const p = createPostgresPool(url.href, { timeoutMs: 30_000 })
    pools.push(p)
    return p
  }
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: DATABASE_URL })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${database}`)
    await admin.end()
  })
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()))
    const admin = new pg.Client({ connectionString: DATABASE_URL })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await admin.end()
  })

  it('creates its table once, unlogged, when replicas start together', async () => {
    const config = { rps: 1, burst: 2 }
    await Promise.all(Array.from({ length: 6 }, () => new PostgresRateLimiter({ pool: pool(), config, table: 'together' }).ensure()))
    const { rows } = await pool().query("SELECT relpersistence FROM pg_class WHERE relname = 'together'")
    expect(rows).toEqual([{ relpersistence: 'u' }])
  })

  it('makes its table again on a take when it is missing', async () => {
    const p = pool()
    const limiter = new PostgresRateLimiter({ pool: p, config: { rps: 1, burst: 2 }, table: 'dropped' })
    await limiter.ensure()
    await limiter.take('k', 0)
    await p.query('DROP TABLE dropped')
    expect(await limiter.take('k', 0)).toMatchObject({ allowed: true, remaining: 1 })
  })

  it('refuses a table name that is not a plain SQL name', () => {
    expect(() => new PostgresRateLimiter({ pool: pool(), config: { rps: 1, burst: 2 }, table: 'x; DROP TABLE y' })).toThrow(RangeError)
  })
})
