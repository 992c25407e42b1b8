/**
 * Rate limits shared by every replica through PostgreSQL (contract §6: one budget per API key),
 * for deployments that have the database but no Redis.
 *
 * One statement per take: an upsert that refills and takes under the row's lock, so replicas racing
 * on a key cannot both spend its last token. The SQL does @wf/api's `takeToken` arithmetic in
 * double precision in the same order; the decision (headers) is then derived in JS by `takeToken`
 * itself. The table is UNLOGGED: after a crash its rows are worth nothing (an empty table is a set
 * of full buckets), so they should not cost WAL writes and fsyncs on every request.
 *
 * `nowMs` comes from the caller, as with every `RateLimiter`: the replicas' clocks must be kept in
 * step (NTP). A replica whose clock is behind never adds tokens (elapsed is at least 0) and never
 * moves a bucket's stamp back (it keeps the later one), so the refills of all replicas together
 * never exceed the time that has passed on the fastest clock.
 */
import { decide, type RateDecision, type RateLimitConfig, type RateLimiter } from '@wf/api'
import { escapeIdentifier, Pool } from 'pg'
import { assertConfig } from './config.js'

/** SQLSTATE of "relation does not exist". */
const UNDEFINED_TABLE = '42P01'

export interface PostgresRateLimiterOptions {
  /** A pool from `createPostgresPool`, or one set up alike to fail fast. */
  pool: Pool
  config: RateLimitConfig
  /** The limiter's own table, in the connection's schema. Default `wf_rate_limit_buckets`. */
  table?: string
}

export class PostgresRateLimiter implements RateLimiter {
  private readonly pool: Pool
  private readonly config: RateLimitConfig
  private readonly table: string
  private readonly takeQuery: { name: string; text: string }
  private readonly params: readonly [rps: number, burst: number]

  constructor({ pool, config, table = 'wf_rate_limit_buckets' }: PostgresRateLimiterOptions) {
    assertConfig(config)
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) throw new RangeError(`table must be a lower-case SQL name, got "${table}"`)
    this.pool = pool
    this.config = config
    this.table = table
    this.params = [config.rps, config.burst]
    // $1 key, $2 nowMs, $3 rps, $4 burst. `refill` is takeToken's min(burst, tokens + elapsed × rps).
    const refill = 'LEAST($4::float8, b.tokens + GREATEST(0, $2::float8 - b.updated_ms) / 1000::float8 * $3::float8)'
    this.takeQuery = {
      // Named, so each connection parses and plans it once.
      name: `wf_rate_limit_take_${table}`,
      text: `INSERT INTO ${escapeIdentifier(table)} AS b (key, tokens, updated_ms, allowed)
VALUES ($1, CASE WHEN $4::float8 >= 1 THEN $4::float8 - 1 ELSE $4::float8 END, $2::float8, $4::float8 >= 1)
ON CONFLICT (key) DO UPDATE SET
  tokens = CASE WHEN ${refill} >= 1 THEN ${refill} - 1 ELSE ${refill} END,
  updated_ms = GREATEST(b.updated_ms, $2::float8),
  allowed = ${refill} >= 1
RETURNING tokens, allowed`,
    }
  }

  /**
   * Creates the table if it is missing. Replicas starting together would race in CREATE TABLE IF
   * NOT EXISTS (one of them fails on the catalog's unique index), so it runs under an advisory lock.
   */
  async ensure(): Promise<void> {
    const client = await this.pool.connect()
    let failure: unknown
    try {
      await client.query('BEGIN')
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`wf rate-limit table ${this.table}`])
      // Every take rewrites its row: free room on each page lets PostgreSQL do that in place (a HOT
      // update) without touching the index.
      await client.query(`CREATE UNLOGGED TABLE IF NOT EXISTS ${escapeIdentifier(this.table)} (
  key text PRIMARY KEY,
  tokens double precision NOT NULL,
  updated_ms double precision NOT NULL,
  allowed boolean NOT NULL
) WITH (fillfactor = 50)`)
      await client.query('COMMIT')
    } catch (error) {
      failure = error
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      // A connection that failed mid-transaction is not given back to the pool.
      client.release(failure instanceof Error ? failure : undefined)
    }
  }

  private async upsert(key: string, nowMs: number) {
    const { rows } = await this.pool.query<{ tokens: number; allowed: boolean }>({
      ...this.takeQuery,
      values: [key, nowMs, ...this.params],
    })
    return rows[0]
  }

  async take(key: string, nowMs: number): Promise<RateDecision> {
    if (!Number.isFinite(nowMs)) throw new RangeError(`nowMs must be a finite number, got ${nowMs}`)
    const row = await this.upsert(key, nowMs).catch(async (error) => {
      // The table is missing: ensure() failed at start (PostgreSQL was away), or it was dropped.
      if ((error as { code?: string }).code !== UNDEFINED_TABLE) throw error
      await this.ensure()
      return this.upsert(key, nowMs)
    })
    if (!row) throw new Error('the rate-limit upsert returned no row')
    // The level before the take. `before − 1` in SQL and `+ 1` here are both exact in doubles: for
    // 1 ≤ before < 2^53, 1 is a whole number of before's last-bit units. So this is the very number
    // the statement compared with 1.
    return decide(row.allowed ? row.tokens + 1 : row.tokens, this.config)
  }
}

export interface PostgresPoolOptions {
  /** Connections to keep: each take holds one for a single round trip. Default 10. */
  max?: number
  /** Waiting for a connection, or for an answer, fails after this (ms). Default 1000. */
  timeoutMs?: number
}

/**
 * A pool of its own for the limiter, so a busy storage pool never holds up rate limiting, that
 * fails instead of waiting when PostgreSQL is away: a connect timeout and a query timeout (a
 * query that times out takes its connection with it).
 */
export function createPostgresPool(connectionString: string, { max = 10, timeoutMs = 1000 }: PostgresPoolOptions = {}): Pool {
  const pool = new Pool({
    connectionString,
    max,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    keepAlive: true,
    application_name: 'wf rate limit',
  })
  // An idle connection that breaks (PostgreSQL restarted) is dropped by the pool, which also emits
  // it as an event; unheard, that event would end the process. Failed takes are what is reported
  // (once, by FallbackRateLimiter).
  pool.on('error', () => {})
  return pool
}
