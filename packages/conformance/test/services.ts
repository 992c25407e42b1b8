/**
 * The services the `replicas` project needs besides the Node server: a PostgreSQL server (a fresh
 * database per run is made on it) and a Redis (the relaxed replicas' shared rate limit). Both are
 * probed with a short TCP connect, by vitest.config.ts (to skip the project when either is
 * missing) and again by the project's global setup (to fail clearly when WF_REQUIRE_SERVICES=1).
 */
import { connect } from 'node:net'
import { redactUrl as redact } from '@wf/storage/testing'

export { redact }

/** The PostgreSQL server, as a URL to a database that exists (the per-run databases are made from it). */
export const TEST_DATABASE_URL = process.env.WF_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
/** The Redis the relaxed replicas share their rate-limit buckets in (keys per API key id: runs do not meet). */
export const TEST_REDIS_URL = process.env.WF_TEST_REDIS_URL || 'redis://127.0.0.1:6379'
/** With WF_REQUIRE_SERVICES=1 a missing service fails the run instead of skipping the project. */
export const REQUIRE_SERVICES = process.env.WF_REQUIRE_SERVICES === '1'

const PROBE_TIMEOUT_MS = 1500

/** Resolves undefined when a TCP connection to the URL's host and port opens in time, else the reason. */
function probe(url: string, defaultPort: number): Promise<string | undefined> {
  let host: string
  let port: number
  try {
    const u = new URL(url)
    host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1'
    port = Number(u.port) || defaultPort
  } catch {
    return Promise.resolve('not a URL')
  }
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (reason: string | undefined) => {
      socket.destroy()
      resolve(reason)
    }
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(`no answer from ${host}:${port} in ${PROBE_TIMEOUT_MS} ms`))
    socket.once('connect', () => done(undefined))
    socket.once('error', (error) => done(error.message))
  })
}

/**
 * Undefined when PostgreSQL and Redis both answer; otherwise the one line that says what the
 * project needs and what is missing.
 */
export async function missingServices(): Promise<string | undefined> {
  const [postgres, redis] = await Promise.all([probe(TEST_DATABASE_URL, 5432), probe(TEST_REDIS_URL, 6379)])
  if (postgres === undefined && redis === undefined) return undefined
  const missing = [postgres && `PostgreSQL (${postgres})`, redis && `Redis (${redis})`].filter(Boolean).join(' and ')
  return (
    `replicas project ${REQUIRE_SERVICES ? 'failed' : 'skipped'}: it needs PostgreSQL at ${redact(TEST_DATABASE_URL)} ` +
    `(WF_TEST_DATABASE_URL, a user that may CREATE DATABASE) and Redis at ${redact(TEST_REDIS_URL)} (WF_TEST_REDIS_URL); ` +
    `unreachable: ${missing}${REQUIRE_SERVICES ? '' : '. Set WF_REQUIRE_SERVICES=1 to make this a failure'}`
  )
}
