/**
 * @wf/core — the pure core of the Workflow Management API: the step catalog, the wire schemas,
 * validation and resolution of requests, the fraud rules and the error catalogue.
 * No I/O and no runtime-specific imports: it runs in Node, Workers and browsers alike.
 */

export {
  ApiKey,
  CreateApiKeyRequest,
  CreateOrganizationRequest,
  KeyMode,
  Organization,
} from './admin-schemas.js'
export {
  AgeEstimationConfig,
  EmptyConfig,
  ESCALATION_TYPES,
  FaceLivenessConfig,
  IdVerificationConfig,
  isStepId,
  ResolvedAgeEstimationConfig,
  type ResolvedConfigs,
  ResolvedFaceLivenessConfig,
  ResolvedIdVerificationConfig,
  type RuleProblem,
  STEP_CATALOG,
  STEP_CONFIG_SCHEMAS,
  STEP_IDS,
  STEPS,
  type StepConfigs,
  type StepEntry,
  StepId,
} from './catalog.js'
export {
  ERROR_CATALOGUE,
  ERROR_CODES,
  ErrorBody,
  type ErrorCode,
  errorStatus,
  IssueSchema,
  SANDBOX_KEY_MESSAGE,
  summarizeIssues,
} from './errors.js'
export { EXAMPLE_CREATE_WORKFLOW } from './examples.js'
export { type FraudAnalysis, fraudAnalysis, shouldEscalate } from './fraud.js'
export { type Issue, MAX_ISSUES, type ParseResult } from './issues.js'
export { parseCreateApiKey, parseCreateOrganization } from './parse-admin.js'
export {
  parseCreateWorkflow,
  parseUpdateWorkflow,
  type ResolvedCreateWorkflow,
  type ResolvedUpdateWorkflow,
} from './parse-workflow.js'
export {
  CreateWorkflowRequest,
  NAME_MAX_LENGTH,
  STEPS_MAX,
  StepRequest,
  UpdateStepConfigRequest,
  UpdateWorkflowRequest,
  Workflow,
  WorkflowStatus,
  WorkflowStep,
  WorkflowSummary,
  WorkflowVersion,
} from './schemas.js'
export { defaultStepConfig } from './step-config.js'
export { applyStepConfigPatch, parseStepConfigPatch } from './step-patch.js'
