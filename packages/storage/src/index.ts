/**
 * @wf/storage — the store over Drizzle SQLite (better-sqlite3 or D1), its schema and its types.
 * Node's opener is `@wf/storage/node`; the contract suite is `@wf/storage/contract`.
 */
export { createStore } from './store.js'
export type { StoreDatabase } from './atomic.js'
export * as schema from './schema.js'
export { apiKeys, idempotencyKeys, organizations, workflowVersions, workflows } from './schema.js'
export type {
  ApiKey,
  IdempotencyRecord,
  InsertWorkflowResult,
  KeyMode,
  ListedWorkflow,
  ListWorkflowsQuery,
  Organization,
  Store,
} from './types.js'
