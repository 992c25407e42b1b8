/**
 * D1's committer: an atomic write is one `db.batch([...])`, which D1 runs as one transaction and
 * one round trip. D1 rejects interactive transactions (BEGIN), and a D1 store lives for one
 * request, so statements are built with their values for each call (it costs little there).
 */
import type { BatchItem } from 'drizzle-orm/batch'
import { bindValues, type Committer, type Statement } from '../atomic.js'

/** The part of `drizzle-orm/d1`'s database used here (any drizzle SQLite database with `batch`). */
export interface BatchDatabase {
  batch(statements: readonly [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]): Promise<readonly unknown[]>
}

export function d1Committer(db: BatchDatabase): Committer {
  if (typeof db?.batch !== 'function') {
    throw new TypeError('storage: the D1 committer needs a drizzle database with batch() (drizzle-orm/d1)')
  }
  return {
    async run(write, values) {
      const bind = bindValues(values)
      const statements = write.map((define) => define(bind)) as [Statement, ...Statement[]]
      return (await db.batch(statements)).map(changedRows)
    },
  }
}

/** D1 reports the rows a statement changed as `meta.changes`. */
function changedRows(result: unknown): number {
  const changes = (result as { meta?: { changes?: unknown } } | undefined)?.meta?.changes
  if (typeof changes !== 'number') throw new Error('storage: a D1 batch result without meta.changes')
  return changes
}
