/**
 * What the API needs from storage. Two implementations: store.ts serves better-sqlite3 on Node
 * (wrapped in the read cache) and D1 on Workers; pg/store.ts serves PostgreSQL (node-postgres, and
 * PGlite in tests). The contract suite in `src/contract/` holds all of them to this interface.
 *
 * Records come back in their wire shape (core's types): data read from our own database is not
 * validated again.
 */
import type { ApiKey, Organization, Workflow, WorkflowStatus, WorkflowVersion } from '@wf/core'

export type { ApiKey, KeyMode, Organization } from '@wf/core'

/** A stored create response, replayed for a retry with the same Idempotency-Key. */
export interface IdempotencyRecord {
  organization_id: string
  key: string
  /** Hash of the canonical JSON of the request body: "the same body" ignores key order and spaces. */
  request_hash: string
  status: number
  /** The response body, as sent. */
  body: string
  created_at: string
}

/** One item of a list page: its id (for the cursor) and its wire JSON text. */
export interface ListedWorkflow {
  id: string
  json: string
}

export interface ListWorkflowsQuery {
  limit: number
  /** Exclusive: return workflows whose id sorts before this one (the previous page's last id). */
  before?: string
  status?: WorkflowStatus
}

export type InsertWorkflowResult =
  | { ok: true }
  /** Another request stored this organization + Idempotency-Key first; nothing was written. */
  | { ok: false; reason: 'idempotency_key_taken' }

export interface Store {
  /** Resolves once the database answers (for /health). */
  ping(): Promise<void>

  createOrganization(org: Organization): Promise<void>
  getOrganization(id: string): Promise<Organization | undefined>

  /** `hash` is the SHA-256 of the secret; the secret itself is never stored. */
  createApiKey(key: ApiKey, hash: string): Promise<void>
  findApiKeyByHash(hash: string): Promise<ApiKey | undefined>
  listApiKeys(organizationId: string): Promise<ApiKey[]>
  /** Sets revoked_at once (a second revoke keeps the first time); undefined for an unknown id. */
  revokeApiKey(id: string, at: string): Promise<ApiKey | undefined>

  /**
   * Writes a new workflow and its version 1 atomically, and, when given, the idempotency record of
   * the request in the same atomic write. A record for the same organization and key created before
   * `idempotency.expiredBefore` is replaced; a newer one makes the whole write fail (nothing written).
   */
  insertWorkflow(workflow: Workflow, idempotency?: { record: IdempotencyRecord; expiredBefore: string }): Promise<InsertWorkflowResult>
  getWorkflow(organizationId: string, id: string): Promise<Workflow | undefined>
  /**
   * The same workflow as its wire JSON text (a `Workflow`), compact, keys in wire order, and its
   * version. Every engine answers the same record with the same bytes.
   */
  getWorkflowJson(organizationId: string, id: string): Promise<{ version: number; json: string } | undefined>
  /**
   * Newest first (by id, which sorts by creation time). Each item is the wire JSON text of a
   * `WorkflowSummary` (as getWorkflowJson's): a page goes out without being parsed and serialised again.
   */
  listWorkflows(organizationId: string, query: ListWorkflowsQuery): Promise<ListedWorkflow[]>
  /**
   * Replaces the workflow with `next` (whose version is `expectedVersion + 1`) and appends the
   * version row written by `writtenBy`, atomically, only if the stored version is still
   * `expectedVersion`. Returns false, having changed nothing, when it is not.
   */
  updateWorkflow(next: Workflow, expectedVersion: number, writtenBy: string): Promise<boolean>
  /** Newest first; undefined when the workflow does not exist in this organization. */
  listVersions(organizationId: string, workflowId: string): Promise<WorkflowVersion[] | undefined>
  getVersion(organizationId: string, workflowId: string, version: number): Promise<WorkflowVersion | undefined>

  /** The record for this organization and key if it was created at or after `notBefore`. */
  findIdempotencyRecord(organizationId: string, key: string, notBefore: string): Promise<IdempotencyRecord | undefined>
  /** Deletes up to `limit` idempotency records created before `before` (oldest first); resolves to how many it deleted. */
  purgeIdempotencyRecords(before: string, limit: number): Promise<number>
}

/** The name of a `Store` method. */
export type StoreMethod = keyof Store

/**
 * Every `Store` method and whether it writes, as an object literal the compiler checks against the
 * interface: a method added to `Store` and not here fails `tsc` ("property … is missing"), and so
 * does one listed here that `Store` does not have. Tests walk `STORE_METHODS` (the read cache's
 * completeness test, the contract's "every method" test), so a new method cannot slip past them
 * either; @wf/api holds back `STORE_WRITES` until a request is admitted.
 */
const storeMethods: { readonly [M in StoreMethod]-?: 'read' | 'write' } = {
  ping: 'read',
  createOrganization: 'write',
  getOrganization: 'read',
  createApiKey: 'write',
  findApiKeyByHash: 'read',
  listApiKeys: 'read',
  revokeApiKey: 'write',
  insertWorkflow: 'write',
  getWorkflow: 'read',
  getWorkflowJson: 'read',
  listWorkflows: 'read',
  updateWorkflow: 'write',
  listVersions: 'read',
  getVersion: 'read',
  findIdempotencyRecord: 'read',
  purgeIdempotencyRecords: 'write',
}

export const STORE_METHODS: readonly StoreMethod[] = Object.freeze(Object.keys(storeMethods) as StoreMethod[])

/** The methods that change what is stored. */
export const STORE_WRITES: readonly StoreMethod[] = Object.freeze(STORE_METHODS.filter((m) => storeMethods[m] === 'write'))

/** A purge deletes a bounded batch: `limit` is a count of rows (both stores check it the same way). */
export function checkPurgeLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`storage: purge limit must be a whole number, got ${limit}`)
}
