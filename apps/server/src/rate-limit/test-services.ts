/**
 * The servers the limiter tests need, found or not: a suite whose server does not answer is
 * skipped with one line saying what it needs, or fails when WF_REQUIRE_SERVICES=1 (CI).
 */

import { Redis } from 'ioredis'
import pg from 'pg'
import { describe, it } from 'vitest'

export const REDIS_URL = process.env.WF_TEST_REDIS_URL || 'redis://127.0.0.1:6379'
export const DATABASE_URL = process.env.WF_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
const REQUIRED = process.env.WF_REQUIRE_SERVICES === '1'

export async function redisProblem(): Promise<string | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null })
  // The cause comes as an event; the rejection only says the connection closed.
  let cause: Error | undefined
  redis.on('error', (error) => {
    cause ??= error
  })
  try {
    await redis.connect()
    await redis.ping()
    return undefined
  } catch (error) {
    return `these tests need a Redis server at WF_TEST_REDIS_URL (default redis://127.0.0.1:6379), tried ${REDIS_URL}: ${(cause ?? (error as Error)).message}`
  } finally {
    redis.disconnect()
  }
}

export async function postgresProblem(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
    return undefined
  } catch (error) {
    return `these tests need PostgreSQL (a role that may create databases) at WF_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), tried ${DATABASE_URL}: ${(error as Error).message}`
  } finally {
    await client.end().catch(() => {})
  }
}

/** Runs the suite when its server answers; otherwise skips it saying why, or fails when required. */
export function describeWith(name: string, problem: string | undefined, body: () => void): void {
  if (!problem) describe(name, body)
  else if (REQUIRED) {
    describe(name, () => {
      it('has its server (WF_REQUIRE_SERVICES=1)', () => {
        throw new Error(problem)
      })
    })
  } else {
    console.warn(`SKIPPED ${name}: ${problem}`)
    describe.skip(`${name} (skipped: ${problem})`, body)
  }
}
