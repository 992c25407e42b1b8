/**
 * better-sqlite3's committer (Node only): group commit.
 *
 * Every write definition is prepared once (building drizzle SQL and preparing it on each request
 * took a large part of a create, BENCHMARKS.md). Writes that arrive in the same event-loop turn share one IMMEDIATE
 * transaction, so one commit serves them all. Each runs in its own savepoint: a conflict rolls
 * back that write only, and its caller gets the error. Every promise settles only after the
 * commit, so nothing is acknowledged before it is in the WAL.
 *
 * The connection is passed in, not dug out of the drizzle database: the store's statements must be
 * built on `drizzle(sqlite)` over this same connection (`openDatabase` in node.ts does both).
 */
import type Database from 'better-sqlite3'
import { type AtomicWrite, type Committer, placeholders, type WriteDefinition } from '../atomic.js'

/** A write definition prepared on better-sqlite3: runs synchronously with its values bound. */
interface PreparedStatement {
  run(values: object): unknown
}

type Outcome = { ok: true; changes: number[] } | { ok: false; error: unknown }

/** A write waiting for the end of the turn: its statements, bound to its values, ready to run. */
interface Pending {
  execute(): number[]
  resolve(changes: number[]): void
  reject(error: unknown): void
}

export function groupCommitter(sqlite: Database.Database): Committer {
  // Keyed by definition: each is prepared once, on its first run.
  const prepared = new Map<WriteDefinition<never>, PreparedStatement>()
  function statementFor<V>(define: WriteDefinition<V>): PreparedStatement {
    let statement = prepared.get(define)
    if (!statement) prepared.set(define, (statement = define(placeholders<V>()).prepare() as PreparedStatement))
    return statement
  }
  function execute<V extends object>(write: AtomicWrite<V>, values: V): number[] {
    return write.map((define) => changedRows(statementFor(define).run(values)))
  }
  let queue: Pending[] = []
  // better-sqlite3's own transaction functions: a call inside another becomes a savepoint, and
  // the BEGIN/SAVEPOINT/COMMIT statements are prepared once (drizzle's nested transactions
  // prepare them on every call).
  const runOne = sqlite.transaction((item: Pending) => item.execute())
  // IMMEDIATE takes the write lock before anything is read: a writer on another connection (the
  // CLI beside the server) makes us wait up to busy_timeout instead of failing.
  const runGroup = sqlite.transaction((batch: Pending[], outcomes: Outcome[]) => {
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

  return {
    run: (write, values) =>
      new Promise((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush)
        queue.push({ execute: () => execute(write, values), resolve, reject })
      }),
  }
}

/** better-sqlite3 reports the rows a statement changed as `changes`, synchronously. */
function changedRows(result: unknown): number {
  const changes = (result as Partial<Database.RunResult> | undefined)?.changes
  if (typeof changes !== 'number') {
    throw new Error('storage: groupCommitter runs statements built on drizzle-orm/better-sqlite3 (synchronous) only')
  }
  return changes
}

/**
 * SQLite's `PRAGMA data_version` on this connection: it changes when another connection commits
 * (never for this connection's own commits). The read cache uses it to drop what may be stale.
 */
export function dataVersionOf(sqlite: Database.Database): () => unknown {
  const statement = sqlite.prepare('PRAGMA data_version').pluck()
  return () => statement.get()
}
