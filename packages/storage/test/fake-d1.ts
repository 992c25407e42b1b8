/**
 * A stand-in for a D1 binding over better-sqlite3, enough for `drizzle-orm/d1`: it lets Node run
 * the contract through the D1 code path (batch, `meta.changes`, D1-style errors) without workerd.
 * Like D1 it refuses BEGIN/SAVEPOINT, runs a batch as one transaction, and answers asynchronously
 * so that concurrent callers interleave between calls. The real check is the edge app's run of the
 * same contract on D1 inside workerd.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'

interface D1Result {
  success: true
  results: unknown[]
  meta: { changes: number; last_row_id: number; duration: number }
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i
const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** D1 reports SQLite errors with a prefix and the result code. */
function d1Error(error: unknown): Error {
  const e = error as { message?: string; code?: string }
  return new Error(`D1_ERROR: ${e.message}: ${e.code ?? 'SQLITE_ERROR'}`, { cause: error })
}

class FakeStatement {
  constructor(
    private readonly sqlite: Database.Database,
    readonly query: string,
    private readonly params: unknown[] = [],
  ) {}

  bind(...params: unknown[]): FakeStatement {
    return new FakeStatement(this.sqlite, this.query, params)
  }

  /** Runs now, synchronously: used inside a batch's transaction. */
  execute(): D1Result {
    if (TRANSACTION_CONTROL.test(this.query)) {
      throw new Error('D1_ERROR: D1 runs no BEGIN or SAVEPOINT: use batch() for atomic writes')
    }
    const stmt = this.sqlite.prepare(this.query)
    if (stmt.reader) {
      const results = stmt.all(...this.params)
      return { success: true, results, meta: { changes: 0, last_row_id: 0, duration: 0 } }
    }
    const { changes, lastInsertRowid } = stmt.run(...this.params)
    return { success: true, results: [], meta: { changes, last_row_id: Number(lastInsertRowid), duration: 0 } }
  }

  async run(): Promise<D1Result> {
    await tick()
    try {
      return this.execute()
    } catch (error) {
      throw d1Error(error)
    }
  }

  async all(): Promise<D1Result> {
    return this.run()
  }

  async first(): Promise<unknown> {
    return (await this.run()).results[0] ?? null
  }

  async raw(): Promise<unknown[][]> {
    await tick()
    try {
      if (TRANSACTION_CONTROL.test(this.query)) return [this.execute().results]
      const stmt = this.sqlite.prepare(this.query)
      if (!stmt.reader) {
        stmt.run(...this.params)
        return []
      }
      return stmt.raw(true).all(...this.params) as unknown[][]
    } catch (error) {
      throw d1Error(error)
    }
  }
}

export function fakeD1(sqlite: Database.Database) {
  return {
    prepare: (query: string) => new FakeStatement(sqlite, query),
    async batch(statements: FakeStatement[]): Promise<D1Result[]> {
      await tick()
      try {
        return sqlite.transaction(() => statements.map((s) => s.execute()))()
      } catch (error) {
        throw d1Error(error)
      }
    },
    async exec(query: string) {
      await tick()
      sqlite.exec(query)
      return { count: 1, duration: 0 }
    },
  }
}

/** Applies the checked-in migrations as `wrangler d1 migrations apply` does: each .sql file, in order. */
export function applyMigrationsLikeWrangler(sqlite: Database.Database, folder: string): string[] {
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort()
  for (const file of files) sqlite.exec(readFileSync(join(folder, file), 'utf8'))
  return files
}
