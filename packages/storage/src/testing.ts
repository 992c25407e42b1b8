/**
 * `@wf/storage/testing`: a PostgreSQL database of its own for a test run, on the server that
 * `WF_TEST_DATABASE_URL` names. Tests against a real server (this package's, the conformance and
 * reliability suites, the server's) each make a fresh database and drop it after, so runs never see
 * each other's rows. With no server there, the caller skips with the reason given, unless
 * `WF_REQUIRE_SERVICES=1` (CI), which makes it a failure. No test
 * framework is imported here.
 */
import pg from 'pg'

/** Where tests look for a server when `WF_TEST_DATABASE_URL` is not set. */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

/**
 * Either a database or the reason there is none. Each side names the other's fields as absent, so
 * that JavaScript checked without strict null checks (which does not narrow on `ok`) can read them.
 */
export type PostgresForTests =
  | {
      ok: true
      /** The new database's URL: the server's URL with the database replaced. */
      url: string
      database: string
      /** Drops the database, ending any connection still open to it. */
      dropDatabase(): Promise<void>
      reason?: undefined
    }
  | {
      ok: false
      /** Why there is no database, and what would give one: for the skip message. */
      reason: string
      url?: undefined
      database?: undefined
      dropDatabase?: undefined
    }

export interface PostgresForTestsOptions {
  /** The start of the database's name, after `wf_` (letters, digits and `_`). Defaults to `test`. */
  name?: string
  /** Defaults to `process.env`. */
  env?: Record<string, string | undefined>
  /** How long to wait for the server to answer. */
  connectTimeoutMs?: number
}

/**
 * Creates `wf_<name>_<random>` on the server of `WF_TEST_DATABASE_URL` (a URL whose user may
 * CREATE DATABASE; by default `DEFAULT_TEST_DATABASE_URL`). Resolves to `{ ok: false, reason }`
 * when the server cannot be reached, or rejects with that reason when `WF_REQUIRE_SERVICES=1`.
 */
export async function postgresForTests(options: PostgresForTestsOptions = {}): Promise<PostgresForTests> {
  const env = options.env ?? process.env
  const serverUrl = env.WF_TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL
  // WF_REQUIRE_SERVICES=1 (the conformance suite's switch for all its services) requires it too.
  const required = env.WF_REQUIRE_SERVICES === '1'
  const name = options.name ?? 'test'
  if (!/^[a-z0-9_]{1,30}$/.test(name)) throw new Error(`postgresForTests: name must be lowercase letters, digits or _: ${name}`)
  const database = `wf_${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`

  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: options.connectTimeoutMs ?? 3_000 })
  try {
    await admin.connect()
  } catch (error) {
    await admin.end().catch(() => {})
    const reason =
      `PostgreSQL tests need a server at ${redactUrl(serverUrl)} (set WF_TEST_DATABASE_URL to a postgres:// URL ` +
      `whose user may CREATE DATABASE); it did not answer: ${(error as Error).message}`
    if (required) throw new Error(`${reason} (WF_REQUIRE_SERVICES=1: a missing server is a failure)`, { cause: error })
    return { ok: false, reason: `${reason}. Skipped; WF_REQUIRE_SERVICES=1 makes this a failure.` }
  }
  try {
    await admin.query(`create database ${pg.escapeIdentifier(database)}`)
  } finally {
    await admin.end()
  }

  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return {
    ok: true,
    url: url.toString(),
    database,
    async dropDatabase() {
      const client = new pg.Client({ connectionString: serverUrl })
      await client.connect()
      try {
        // FORCE ends connections a test left open (a pool not closed), which would block the drop.
        await client.query(`drop database if exists ${pg.escapeIdentifier(database)} with (force)`)
      } finally {
        await client.end()
      }
    },
  }
}

/** The URL without its password, for messages (the suites that start servers use it too). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(not a URL)'
  }
}
