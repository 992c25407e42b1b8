/**
 * The PostgreSQL store on PGlite, in-process, with no server: the contract, the bytes of its JSON
 * reads against SQLite's, and the PostgreSQL-only checks. postgres.test.ts runs the same on a real
 * server, with the concurrency PGlite's single connection cannot show.
 */
import { afterAll } from 'vitest'
import { describeStoreContract } from '../src/contract/index.js'
import { openPglite } from './pglite.js'
import { postgresOnlyTests } from './postgres-only.js'
import { parityTests } from './postgres-parity.js'

// One database for the file: every test makes its own organizations and ids.
const opened = await openPglite()
afterAll(() => opened.close())

describeStoreContract('PostgreSQL (PGlite)', () => opened.store)
parityTests(() => opened.store)
postgresOnlyTests(() => ({
  store: opened.store,
  query: async <T>(text: string, params?: unknown[]) => (await opened.client.query<T>(text, params)).rows,
  // PGlite has one session: the store over it sees the zone until it is set back.
  storeInTimeZone: async (zone) => {
    await opened.client.query(`set time zone '${zone}'`)
    return { store: opened.store, close: async () => void (await opened.client.query('reset time zone')) }
  },
}))
