/** The Node server's settings from the environment (contract §7, and README "Settings"). */
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { positiveNumber, readApiSettings, type Settings, SettingsError } from '@wf/api'

export { SettingsError }

/**
 * Where the data lives: the embedded SQLite file (the default: one machine, nothing to run), or a
 * PostgreSQL database that any number of stateless replicas share.
 */
export type DatabaseSettings = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string; poolSize: number }

export interface ServerSettings extends Settings {
  port: number
  host: string
  database: DatabaseSettings
  /** Where the rate-limit buckets live; `memory` is per process, the others shared by every replica. */
  rateLimitStore: RateLimitStore
  /** WF_REDIS_URL: the Redis of the `redis` rate-limit store. */
  redisUrl: string | undefined
  /** The console's build, served at /console/ (the @wf/console package's dist/console). */
  consoleDir: string
}

export function readSettings(env: NodeJS.ProcessEnv, cwd: string): ServerSettings {
  const port = positiveNumber(env, 'PORT', 3000)
  if (!Number.isInteger(port) || port > 65535) throw new SettingsError(`PORT must be an integer from 1 to 65535, got "${env.PORT}"`)
  const database = readDatabaseSettings(env, cwd)
  const redisUrl = readUrl(env, 'WF_REDIS_URL', ['redis:', 'rediss:'])
  return {
    ...readApiSettings(env),
    port,
    host: env.HOST || '127.0.0.1',
    database,
    rateLimitStore: readRateLimitStore(env, database, redisUrl),
    redisUrl,
    consoleDir: env.WF_CONSOLE_DIR ? resolve(cwd, env.WF_CONSOLE_DIR) : defaultConsoleDir(),
  }
}

/** WF_DATABASE_URL (postgres://…) selects PostgreSQL; unset, the SQLite file at WF_DB_PATH. The CLI reads the same. */
export function readDatabaseSettings(env: NodeJS.ProcessEnv, cwd: string): DatabaseSettings {
  const url = readUrl(env, 'WF_DATABASE_URL', ['postgres:', 'postgresql:'])
  if (url === undefined) {
    if (env.WF_DATABASE_POOL_SIZE) throw new SettingsError('WF_DATABASE_POOL_SIZE applies to PostgreSQL only: set WF_DATABASE_URL too')
    return { engine: 'sqlite', path: resolve(cwd, env.WF_DB_PATH || 'data/wf.sqlite') }
  }
  if (env.WF_DB_PATH) throw new SettingsError('set WF_DATABASE_URL or WF_DB_PATH, not both: each names where the data lives')
  const poolSize = positiveNumber(env, 'WF_DATABASE_POOL_SIZE', 10)
  if (!Number.isInteger(poolSize))
    throw new SettingsError(`WF_DATABASE_POOL_SIZE must be a whole number, got "${env.WF_DATABASE_POOL_SIZE}"`)
  return { engine: 'postgres', url, poolSize }
}

export const RATE_LIMIT_STORES = ['memory', 'redis', 'postgres'] as const
export type RateLimitStore = (typeof RATE_LIMIT_STORES)[number]

/**
 * WF_RATE_LIMIT_STORE, by default the fastest store every replica shares: Redis when WF_REDIS_URL
 * is set, else PostgreSQL when the data is there, else this process's memory (one process owns
 * the SQLite file, so its buckets see every request of a key).
 */
function readRateLimitStore(env: NodeJS.ProcessEnv, database: DatabaseSettings, redisUrl: string | undefined): RateLimitStore {
  const raw = env.WF_RATE_LIMIT_STORE
  if (!raw) return redisUrl ? 'redis' : database.engine === 'postgres' ? 'postgres' : 'memory'
  const store = RATE_LIMIT_STORES.find((s) => s === raw)
  if (store === undefined) throw new SettingsError(`WF_RATE_LIMIT_STORE must be one of ${RATE_LIMIT_STORES.join(', ')}, got "${raw}"`)
  if (store === 'redis' && !redisUrl) throw new SettingsError('WF_RATE_LIMIT_STORE=redis needs WF_REDIS_URL')
  if (store === 'postgres' && database.engine !== 'postgres') throw new SettingsError('WF_RATE_LIMIT_STORE=postgres needs WF_DATABASE_URL')
  return store
}

/** Where the data is, fit for a log line: a PostgreSQL URL without its password. */
export function describeDatabase(database: DatabaseSettings): string {
  if (database.engine === 'sqlite') return database.path
  const u = new URL(database.url)
  u.password = ''
  return u.toString()
}

function readUrl(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const raw = env[name]
  if (!raw) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    // The value may hold a password: never repeat it.
    throw new SettingsError(`${name} is not a URL (expected ${protocols[0]}//…)`)
  }
  if (!protocols.includes(url.protocol)) {
    throw new SettingsError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got ${url.protocol}//…`)
  }
  return raw
}

/** apps/console/dist/console, found through this package's dependency on @wf/console. */
function defaultConsoleDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@wf/console/package.json')), 'dist', 'console')
  } catch {
    // not linked (a copy of this package alone): where the workspace keeps it
    return fileURLToPath(new URL('../../console/dist/console', import.meta.url))
  }
}
