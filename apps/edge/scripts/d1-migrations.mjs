// Applies the storage package's SQLite migrations to a Miniflare D1 database, as wrangler would
// (the workerd tests and bench/round-trips.mjs).
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const DIR = fileURLToPath(new URL('../../../packages/storage/drizzle/', import.meta.url))

/** @param {{ prepare(sql: string): { run(): Promise<unknown> } }} db */
export async function applyD1Migrations(db) {
  for (const file of readdirSync(DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    for (const statement of readFileSync(DIR + file, 'utf8').split('--> statement-breakpoint')) {
      if (statement.trim()) await db.prepare(statement).run()
    }
  }
}
