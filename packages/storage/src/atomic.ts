/**
 * Atomic multi-statement writes on both drivers. D1 rejects interactive transactions (BEGIN), so
 * statements go to `db.batch([...])`, which D1 runs as one transaction; better-sqlite3 has no batch
 * but its transactions are synchronous, so the same statements run inside one, prepared once, and
 * the writes of one event-loop turn share a commit.
 * Never `db.transaction(async …)`: it would BEGIN on D1 and fail.
 */
import type { BatchItem } from 'drizzle-orm/batch'
import { sql } from 'drizzle-orm'
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

/**
 * A write defined once over named values: `v('name')` stands for the value. D1 builds it with the
 * values themselves; better-sqlite3 prepares it once with placeholders and binds the values.
 */
export type WriteDefinition = (v: (name: string) => any) => Statement

export type Values = Record<string, unknown>

/** Runs writes in one transaction; resolves to the rows each one changed, in order. */
export type AtomicWriter = (writes: readonly [WriteDefinition, ...WriteDefinition[]], values: Values) => Promise<number[]>

export function createAtomicWriter(db: StoreDatabase): AtomicWriter {
  if (hasBatch(db)) {
    // One batch: one transaction and one round trip on D1. Building per call costs little there.
    return async (writes, values) => (await db.batch(writes.map((w) => w((name) => values[name])) as [Statement, ...Statement[]])).map(changedRows)
  }
  return groupCommitWriter(db)
}

interface Prepared {
  run(values: Values): unknown
}

/** The part of better-sqlite3's Database used here (this package stays free of its types). */
interface BetterSqliteClient {
  transaction<A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) & { immediate(...args: A): R }
}

type Outcome = { ok: true; changes: number[] } | { ok: false; error: unknown }

interface Pending {
  writes: readonly WriteDefinition[]
  values: Values
  resolve(changes: number[]): void
  reject(error: unknown): void
}

/**
 * better-sqlite3: every write definition is prepared once (building drizzle SQL and preparing it
 * on each request took 30 % of a create). Writes that arrive in the same event-loop turn share one
 * IMMEDIATE transaction, so one commit serves them all (group commit). Each runs in its own
 * savepoint: a conflict rolls back that write only, and its caller gets the error. Every promise
 * settles only after the commit, so nothing is acknowledged before it is in the WAL.
 */
function groupCommitWriter(db: StoreDatabase): AtomicWriter {
  const prepared = new Map<WriteDefinition, Prepared>()
  const statementFor = (w: WriteDefinition) => {
    let s = prepared.get(w)
    if (!s) prepared.set(w, (s = (w(sql.placeholder) as unknown as { prepare(): Prepared }).prepare()))
    return s
  }
  let queue: Pending[] = []
  // better-sqlite3's own transaction functions: a call inside another becomes a savepoint, and
  // the BEGIN/SAVEPOINT/COMMIT statements are prepared once (drizzle's nested transactions
  // prepare them on every call).
  const client = (db as unknown as { $client: BetterSqliteClient }).$client
  const runOne = client.transaction((item: Pending) => item.writes.map((w) => changedRows(statementFor(w).run(item.values))))
  // IMMEDIATE takes the write lock before anything is read: a writer on another connection (the
  // CLI beside the server) makes us wait up to busy_timeout instead of failing.
  const runGroup = client.transaction((batch: Pending[], outcomes: Outcome[]) => {
    for (const item of batch) {
      try {
        outcomes.push({ ok: true, changes: runOne(item) })
      } catch (error) {
        outcomes.push({ ok: false, error })
      }
    }
  }).immediate

  const flush = () => {
    const batch = queue
    queue = []
    const outcomes: Outcome[] = []
    try {
      runGroup(batch, outcomes)
    } catch (error) {
      // The transaction itself failed (BEGIN or COMMIT): nothing of the batch was written.
      for (const item of batch) item.reject(error)
      return
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!
      if (outcome.ok) item.resolve(outcome.changes)
      else item.reject(outcome.error)
    })
  }

  return (writes, values) =>
    new Promise((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush)
      queue.push({ writes, values, resolve, reject })
    })
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
