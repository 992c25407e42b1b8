/** Applies the storage package's SQLite migrations to a Miniflare D1 database, as wrangler would. */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const DIR = fileURLToPath(new URL('../../../packages/storage/drizzle/', import.meta.url))

export async function applyD1Migrations(db: { prepare(sql: string): { run(): Promise<unknown> } }): Promise<void> {
  for (const file of readdirSync(DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    for (const statement of readFileSync(DIR + file, 'utf8').split('--> statement-breakpoint')) {
      if (statement.trim()) await db.prepare(statement).run()
    }
  }
}
