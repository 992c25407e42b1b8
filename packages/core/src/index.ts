/**
 * @wf/core — the pure core of the Workflow Management API: the step catalog, the wire schemas,
 * validation and resolution of requests, the fraud rules and the error catalogue.
 * No I/O and no runtime-specific imports: it runs in Node, Workers and browsers alike.
 */
export {
  STEPS,
  STEP_IDS,
  STEP_CATALOG,
  STEP_CONFIG_SCHEMAS,
  ESCALATION_TYPES,
  type StepEntry,
  type StepConfigs,
  type RuleProblem,
  StepId,
  isStepId,
  IdVerificationConfig,
  FaceLivenessConfig,
  AgeEstimationConfig,
  EmptyConfig,
  ResolvedIdVerificationConfig,
  ResolvedFaceLivenessConfig,
  ResolvedAgeEstimationConfig,
  type ResolvedConfigs,
} from './catalog.js'
export {
  NAME_MAX_LENGTH,
  STEPS_MAX,
  StepRequest,
  CreateWorkflowRequest,
  UpdateWorkflowRequest,
  UpdateStepConfigRequest,
  WorkflowStep,
  WorkflowStatus,
  Workflow,
  WorkflowSummary,
  WorkflowVersion,
} from './schemas.js'
export { MAX_ISSUES, type Issue, type ParseResult } from './issues.js'
export {
  parseCreateWorkflow,
  parseUpdateWorkflow,
  type ResolvedCreateWorkflow,
  type ResolvedUpdateWorkflow,
} from './parse-workflow.js'
export { parseCreateApiKey, parseCreateOrganization } from './parse-admin.js'
export { applyStepConfigPatch, parseStepConfigPatch } from './step-patch.js'
export { defaultStepConfig } from './step-config.js'
export { fraudAnalysis, shouldEscalate, type FraudAnalysis } from './fraud.js'
export {
  ERROR_CATALOGUE,
  ERROR_CODES,
  SANDBOX_KEY_MESSAGE,
  ErrorBody,
  IssueSchema,
  errorStatus,
  summarizeIssues,
  type ErrorCode,
} from './errors.js'
export {
  KeyMode,
  Organization,
  ApiKey,
  CreateOrganizationRequest,
  CreateApiKeyRequest,
} from './admin-schemas.js'
export { EXAMPLE_CREATE_WORKFLOW } from './examples.js'
