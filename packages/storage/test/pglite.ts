/**
 * The PostgreSQL store over PGlite (PostgreSQL compiled to WebAssembly, in this process): the
 * contract and the PostgreSQL-only tests run in `pnpm test` with no server installed. Kept out of
 * src/ so that PGlite (a devDependency) never enters the published import graph.
 */
import { PGlite } from '@electric-sql/pglite'
import { drizzle, type PgliteDatabase } from 'drizzle-orm/pglite'
import { migrate } from 'drizzle-orm/pglite/migrator'
import { createPostgresStore } from '../src/pg/store.js'
import { MIGRATIONS_FOLDER_PG } from '../src/postgres.js'
import type { Store } from '../src/types.js'

export interface OpenedPglite {
  store: Store
  db: PgliteDatabase
  client: PGlite
  close(): Promise<void>
}

/** An in-memory PGlite database with drizzle-pg/ applied, and the store over it. */
export async function openPglite(): Promise<OpenedPglite> {
  const client = new PGlite()
  try {
    const db = drizzle(client)
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER_PG })
    return { store: createPostgresStore(db), db, client, close: () => client.close() }
  } catch (error) {
    await client.close()
    throw error
  }
}
