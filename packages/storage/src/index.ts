/**
 * @wf/storage — the store over Drizzle SQLite (better-sqlite3 or D1), its schema and its types.
 * Node's openers are `@wf/storage/node` (SQLite) and `@wf/storage/postgres` (PostgreSQL); the
 * contract suite is `@wf/storage/contract`, and a database of its own for a test run
 * `@wf/storage/testing`. Nothing of PostgreSQL is imported from here (the Worker imports this).
 */
import type { Committer, StoreDatabase } from './atomic.js'
import { type BatchDatabase, d1Committer } from './drivers/d1.js'
import { createSqliteStore } from './store.js'
import type { Store } from './types.js'

/**
 * The store over a D1 database (`drizzle(env.DB)` from `drizzle-orm/d1`): each atomic write is one
 * batch. For any other drizzle SQLite database, pass its driver's committer; on Node,
 * `openDatabase` from `@wf/storage/node` does that (group commit) and adds the read cache.
 */
export function createStore(db: StoreDatabase & BatchDatabase): Store
export function createStore(db: StoreDatabase, committer: Committer): Store
export function createStore(db: StoreDatabase, committer?: Committer): Store {
  return createSqliteStore(db, committer ?? d1Committer(db as StoreDatabase & BatchDatabase))
}

export type { AtomicWrite, Bind, Committer, StoreDatabase, WriteDefinition } from './atomic.js'
export { isUniqueConflict } from './conflicts.js'
export { d1Committer } from './drivers/d1.js'
export * as schema from './schema.js'
export { apiKeys, idempotencyKeys, organizations, workflows, workflowVersions } from './schema.js'
export { createSqliteStore } from './store.js'
export type {
  ApiKey,
  IdempotencyRecord,
  InsertWorkflowResult,
  KeyMode,
  ListedWorkflow,
  ListWorkflowsQuery,
  Organization,
  Store,
  StoreMethod,
} from './types.js'
export { STORE_METHODS, STORE_WRITES } from './types.js'
