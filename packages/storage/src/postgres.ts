/**
 * `@wf/storage/postgres` (Node only): opens a node-postgres pool, brings the schema up to date and
 * returns the PostgreSQL store (pg/store.ts). The app calls this once at start-up (never at
 * import) and calls `close()` on shutdown.
 *
 * Migrations run under a PostgreSQL advisory lock, so that replicas starting together migrate
 * once: the first takes the lock and migrates, the others wait for it, then find nothing to do.
 * There is no read cache: a cache in one replica cannot learn of another replica's write before it
 * serves a stale read.
 */
import { fileURLToPath } from 'node:url'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import pg from 'pg'
import { createPostgresStore } from './pg/store.js'
import type { Store } from './types.js'

export * as pgSchema from './pg/schema.js'
export { createPostgresStore, type PostgresDatabase } from './pg/store.js'

/** `drizzle-pg/` at the package root: one level above both `src/` (tests) and `dist/` (built). */
export const MIGRATIONS_FOLDER_PG = fileURLToPath(new URL('../drizzle-pg/', import.meta.url))

/**
 * The advisory lock the migrations run under: one key for this schema in the whole database,
 * chosen so as not to meet an application's own locks.
 */
export const MIGRATION_LOCK_KEY = 7_266_001_843_017_561n

export interface PostgresOptions {
  /** A `postgres://` connection string. */
  url: string
  /** Connections the pool may open (node-postgres's `max`). */
  poolSize: number
  /**
   * Told of an error on an idle pooled connection (the server restarting, say). The pool drops
   * that connection and opens another when needed; without a listener node-postgres's error
   * event would end the process.
   */
  onPoolError?: (error: Error) => void
}

export interface OpenedPostgres {
  store: Store
  /** The pool, for others that want PostgreSQL too (the shared rate limit). */
  pool: pg.Pool
  /** Ends the pool once its queries are done. */
  close(): Promise<void>
  /** Whether any organization exists (the server prints how to make the first one). */
  hasOrganizations(): Promise<boolean>
}

export async function openPostgres({ url, poolSize, onPoolError = () => {} }: PostgresOptions): Promise<OpenedPostgres> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize })
  pool.on('error', onPoolError)
  try {
    await migrateUnderLock(pool)
  } catch (error) {
    await pool.end()
    throw error
  }
  const db = drizzle(pool)
  return {
    store: createPostgresStore(db),
    pool,
    close: () => pool.end(),
    async hasOrganizations() {
      const { rows } = await pool.query<{ any: boolean }>('select exists (select 1 from organizations) as any')
      return rows[0]?.any === true
    },
  }
}

/**
 * Applies drizzle-pg/ on one dedicated connection that holds the advisory lock meanwhile: the lock
 * belongs to the session, so the migrator must run on that very connection. If the connection
 * dies, PostgreSQL releases the lock with it.
 */
async function migrateUnderLock(pool: pg.Pool): Promise<void> {
  const client = await pool.connect()
  const key = MIGRATION_LOCK_KEY.toString()
  let failure: unknown
  try {
    await client.query('select pg_advisory_lock($1)', [key])
    try {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER_PG })
    } catch (error) {
      failure = error
    }
    await client.query('select pg_advisory_unlock($1)', [key])
  } catch (error) {
    failure ??= error
  }
  // A connection that failed may still hold the lock: it is closed (released with the error), not
  // returned to the pool, and PostgreSQL releases the lock with it.
  client.release(failure === undefined ? undefined : failure instanceof Error ? failure : new Error(String(failure)))
  if (failure !== undefined) throw failure
}
