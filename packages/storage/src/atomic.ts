/**
 * Atomic multi-statement writes on both drivers. D1 rejects interactive transactions (BEGIN), so
 * statements go to `db.batch([...])`, which D1 runs as one transaction; better-sqlite3 has no batch
 * but its transactions are synchronous, so the same statements run inside one.
 * Never `db.transaction(async …)`: it would BEGIN on D1 and fail.
 */
import type { BatchItem } from 'drizzle-orm/batch'
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'

/** A drizzle SQLite database: `drizzle-orm/better-sqlite3` (sync) or `drizzle-orm/d1` (async). */
export type StoreDatabase = BaseSQLiteDatabase<'sync' | 'async', any>

/** An insert, update or delete built on the same database, not yet run. */
export type Statement = BatchItem<'sqlite'> & { run(): unknown }

interface BatchDatabase {
  batch(statements: readonly [Statement, ...Statement[]]): Promise<unknown[]>
}

function hasBatch(db: StoreDatabase): db is StoreDatabase & BatchDatabase {
  return typeof (db as Partial<BatchDatabase>).batch === 'function'
}

/** Runs the statements in one transaction; resolves to the rows each one changed, in order. */
export async function runAtomically(
  db: StoreDatabase,
  statements: readonly [Statement, ...Statement[]],
): Promise<number[]> {
  if (hasBatch(db)) return (await db.batch(statements)).map(changedRows)
  // IMMEDIATE takes the write lock before anything is read: a writer on another connection (the
  // CLI beside the server) makes us wait up to busy_timeout instead of failing with SQLITE_BUSY.
  return db.transaction(() => statements.map((s) => changedRows(s.run())), { behavior: 'immediate' })
}

/** better-sqlite3 reports `changes`; D1 reports `meta.changes`. */
function changedRows(result: unknown): number {
  const r = result as { changes?: unknown; meta?: { changes?: unknown } } | undefined
  const changes = r?.changes ?? r?.meta?.changes
  if (typeof changes !== 'number') {
    throw new Error('storage: unsupported driver: it must have batch() (D1) or be synchronous (better-sqlite3)')
  }
  return changes
}

/**
 * True when the error (or its cause: drizzle wraps driver errors) is a UNIQUE or PRIMARY KEY
 * conflict on `table`. SQLite words both the same on every driver; D1 adds a prefix.
 */
export function isUniqueConflict(error: unknown, table: string): boolean {
  // Duck-typed rather than instanceof: the error may come from another realm (a binding).
  let e = error as { message?: unknown; cause?: unknown } | null | undefined
  for (let depth = 0; e && depth < 5; depth++, e = e.cause as typeof e) {
    if (typeof e.message === 'string' && e.message.includes(`UNIQUE constraint failed: ${table}.`)) return true
  }
  return false
}
