/**
 * Node only: opens a SQLite file with better-sqlite3, brings its schema up to date and returns the
 * store: the shared store (store.ts) committing by group commit on this connection
 * (drivers/better-sqlite3.ts), behind the read cache (read-cache.ts). The app calls this once at
 * start-up (never at import) and closes `sqlite` on shutdown.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { dataVersionOf, groupCommitter } from './drivers/better-sqlite3.js'
import { CachedStore } from './read-cache.js'
import { createSqliteStore } from './store.js'
import type { Store } from './types.js'

/** `drizzle/` at the package root: one level above both `src/` (tests) and `dist/` (built). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle/', import.meta.url))

export interface OpenedDatabase {
  db: BetterSQLite3Database
  /** The raw connection, for `close()` on shutdown. */
  sqlite: Database.Database
  store: Store
}

/** `path` is a file (its folder is created) or ':memory:' for tests. */
export function openDatabase(path: string): OpenedDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Database(path)
  try {
    // WAL: readers never block the writer. NORMAL is durable enough under WAL and much faster.
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    // Another process writing (the CLI next to the server) makes us wait, not fail.
    sqlite.pragma('busy_timeout = 5000')
    sqlite.pragma('foreign_keys = ON')
    const db = drizzle(sqlite)
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER })
    const store = new CachedStore(createSqliteStore(db, groupCommitter(sqlite)), {
      dataVersion: dataVersionOf(sqlite),
    })
    return { db, sqlite, store }
  } catch (error) {
    sqlite.close()
    throw error
  }
}
