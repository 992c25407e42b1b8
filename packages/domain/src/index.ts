/**
 * @wf/domain — what wf does, knowing nothing of HTTP: one file per verb, each given a context
 * (store, clock, ids, hash, the queue of changes) and throwing DomainError with core's codes.
 * The HTTP API and the operator CLI both call these.
 */

export { createApiKey, listApiKeys, revokeApiKey } from './admin/api-keys.js'
export { createOrganization } from './admin/organizations.js'
export { canonicalJson } from './canonical-json.js'
export type { Caller, Clock, DomainContext, DomainIds, Sha256Hex } from './context.js'
export { DomainError } from './errors.js'
export {
  DEFAULT_PURGE_LIMITS,
  type PurgeLimits,
  type PurgeOutcome,
  purgeExpiredIdempotencyRecords,
} from './housekeeping/purge-idempotency.js'
export { KEY_SECRET, keyPrefix, newKeySecret } from './keys.js'
export { type KeyedQueue, oneAtATime } from './one-at-a-time.js'
export { archiveWorkflow } from './workflows/archive.js'
export type { VersionCondition } from './workflows/change.js'
export { type Created, createWorkflow, IDEMPOTENCY_WINDOW_MS } from './workflows/create.js'
export { getWorkflow, getWorkflowJson, listWorkflows } from './workflows/read.js'
export { updateWorkflow } from './workflows/update.js'
export { updateStepConfig } from './workflows/update-step-config.js'
export { getVersion, listVersions } from './workflows/versions.js'
