/**
 * @wf/client — a typed fetch client for the wf Workflow Management API. Runs unchanged in Node 20,
 * Cloudflare Workers and browsers; no runtime dependency (the types come from @wf/core).
 */

export type {
  ApiKey,
  CreateApiKeyRequest,
  CreateOrganizationRequest,
  CreateWorkflowRequest,
  ErrorCode,
  Organization,
  StepConfigs,
  StepId,
  UpdateWorkflowRequest,
  Workflow,
  WorkflowStatus,
  WorkflowStep,
  WorkflowSummary,
  WorkflowVersion,
} from '@wf/core'
export { type AdminClient, type AdminClientOptions, type CreatedApiKey, createAdminClient } from './admin.js'
export { type Client, type ClientOptions, createClient } from './client.js'
export {
  AuthenticationError,
  ConflictError,
  type ErrorDetail,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  RateLimitError,
  SandboxKeyError,
  ValidationError,
  WfConnectionError,
  WfError,
  type WfErrorInit,
  WfTimeoutError,
} from './errors.js'
export type { FetchLike } from './transport.js'
export type {
  ChangeOptions,
  CreateOptions,
  ListAllParams,
  ListPage,
  ListParams,
  RequestOptions,
  WorkflowsResource,
} from './workflows.js'
