/**
 * Opens the store the settings name, for the server and the CLI alike: the SQLite file (migrated,
 * behind the read cache) or a PostgreSQL pool (migrated under an advisory lock, no read cache: a
 * cache in one replica cannot learn of another's write before that replica's next request).
 */
import type { Logger } from '@wf/api'
import type { Store } from '@wf/storage'
import { openDatabase } from '@wf/storage/node'
import { openPostgres } from '@wf/storage/postgres'
import { type DatabaseSettings, describeDatabase } from './settings.js'

export interface OpenedStore {
  store: Store
  /** No organization yet: the server prints how to make the first one. */
  isEmpty(): Promise<boolean>
  close(): Promise<void>
}

/** Refused at start: the database could not be opened. Said in one line, without a stack. */
export class DatabaseUnavailable extends Error {}

export async function openStore(database: DatabaseSettings, logger?: Logger): Promise<OpenedStore> {
  if (database.engine === 'sqlite') {
    const { sqlite, store } = openDatabase(database.path)
    const anyOrganization = sqlite.prepare('SELECT 1 FROM organizations LIMIT 1')
    return {
      store,
      isEmpty: async () => anyOrganization.get() === undefined,
      close: async () => {
        sqlite.close()
      },
    }
  }
  let opened: Awaited<ReturnType<typeof openPostgres>>
  try {
    opened = await openPostgres({
      url: database.url,
      poolSize: database.poolSize,
      // An idle connection broken by a restart of PostgreSQL: the pool replaces it; say so.
      onPoolError: (error) => logger?.error({ msg: 'database connection lost; the pool opens another', error: error.message }),
    })
  } catch (error) {
    throw new DatabaseUnavailable(`cannot open PostgreSQL at ${describeDatabase(database)}: ${(error as Error).message}`, { cause: error })
  }
  return {
    store: opened.store,
    isEmpty: async () => !(await opened.hasOrganizations()),
    close: () => opened.close(),
  }
}
