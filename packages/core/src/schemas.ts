/**
 * Wire schemas of the Management API (contract §2 and §4). Each is a TypeBox value and a type under
 * one name, with a `$id`, so the OpenAPI document takes its components straight from here.
 *
 * These describe the shapes. Rules that JSON Schema cannot say (names trimmed and counted in code
 * points, no duplicate step, minimum_age <= maximum_age, the escalation forcing fraud analysis) are
 * enforced by `parseCreateWorkflow` and friends, and named in the descriptions.
 */
import Type, { type Static, type TLiteral, type TObject, type TOptional, type TSchema, type TUnion } from 'typebox'
import { STEPS, StepId } from './catalog.js'

export const NAME_MAX_LENGTH = 255
export const STEPS_MAX = 10

const WorkflowName = Type.String({
  minLength: 1,
  maxLength: NAME_MAX_LENGTH,
  description:
    'Workflow name: 1–255 Unicode code points after trimming surrounding white space; not only white space; no lone surrogates and no U+0000. Stored trimmed.',
})

type Steps = typeof STEPS

// One schema per catalog step, as a tuple (so each keeps its literal id and config types).
type StepRequests<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends { id: infer Id extends string; config: infer C extends TSchema }
    ? TObject<{ id: TLiteral<Id>; config: TOptional<C> }>
    : never
}
type ResolvedSteps<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends { id: infer Id extends string; resolved: infer C extends TSchema }
    ? TObject<{ id: TLiteral<Id>; config: C }>
    : never
}

export const StepRequest = Type.Union(
  STEPS.map((step) =>
    Type.Object({ id: Type.Literal(step.id), config: Type.Optional(step.config) }, { additionalProperties: false }),
  ) as unknown as StepRequests<Steps>,
  { $id: 'StepRequest', description: 'A step: its id and optional configuration overrides.' },
)
export type StepRequest = Static<typeof StepRequest>

const StepList = Type.Array(StepRequest, {
  minItems: 1,
  maxItems: STEPS_MAX,
  description: 'Ordered list of verification steps (1–10, each step ID at most once).',
})

export const CreateWorkflowRequest = Type.Object(
  { name: WorkflowName, steps: StepList },
  { additionalProperties: false, $id: 'CreateWorkflowRequest' },
)
export type CreateWorkflowRequest = Static<typeof CreateWorkflowRequest>

export const UpdateWorkflowRequest = Type.Object(
  { name: Type.Optional(WorkflowName), steps: Type.Optional(StepList) },
  {
    additionalProperties: false,
    $id: 'UpdateWorkflowRequest',
    description: 'Any of name and steps, validated as on create; steps replaces the whole list.',
  },
)
export type UpdateWorkflowRequest = Static<typeof UpdateWorkflowRequest>

// The config schemas of every step, each once (the steps without options share EmptyConfig).
const stepConfigs = [...new Set(STEPS.map((step) => step.config))] as unknown as Steps[number]['config'][]

export const UpdateStepConfigRequest = Type.Object(
  {
    config: Type.Union(stepConfigs, {
      description:
        "The fields to change in this step's config; the others keep their current values. Fields must belong to the step in the path.",
    }) as TUnion<Steps[number]['config'][]>,
  },
  { additionalProperties: false, $id: 'UpdateStepConfigRequest' },
)
export type UpdateStepConfigRequest = Static<typeof UpdateStepConfigRequest>

export const WorkflowStep = Type.Union(
  STEPS.map((step) =>
    Type.Object({ id: Type.Literal(step.id), config: step.resolved }, { additionalProperties: false }),
  ) as unknown as ResolvedSteps<Steps>,
  { $id: 'WorkflowStep', description: 'A step with its full resolved configuration.' },
)
export type WorkflowStep = Static<typeof WorkflowStep>

export const WorkflowStatus = Type.Enum(['active', 'archived'], { $id: 'WorkflowStatus' })
export type WorkflowStatus = Static<typeof WorkflowStatus>

const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601 UTC with milliseconds.' })
const Version = Type.Integer({ minimum: 1, description: 'Starts at 1; +1 with every change.' })

export const Workflow = Type.Object(
  {
    id: Type.String({ pattern: '^wf_', description: 'Opaque workflow ID; IDs sort by creation time.' }),
    name: Type.String(),
    status: WorkflowStatus,
    organization_id: Type.String({ pattern: '^org_' }),
    version: Version,
    created_by: Type.String({ pattern: '^key_', description: 'ID of the API key that created the workflow.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    steps: Type.Array(WorkflowStep),
  },
  { additionalProperties: false, $id: 'Workflow' },
)
export type Workflow = Static<typeof Workflow>

export const WorkflowSummary = Type.Object(
  {
    id: Type.String({ pattern: '^wf_' }),
    name: Type.String(),
    status: WorkflowStatus,
    version: Version,
    steps: Type.Array(StepId, { description: 'Step IDs in order.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { additionalProperties: false, $id: 'WorkflowSummary' },
)
export type WorkflowSummary = Static<typeof WorkflowSummary>

export const WorkflowVersion = Type.Object(
  {
    version: Version,
    name: Type.String(),
    status: WorkflowStatus,
    steps: Type.Array(WorkflowStep),
    created_by: Type.String({ pattern: '^key_', description: 'ID of the API key that wrote this version.' }),
    created_at: Timestamp,
  },
  { additionalProperties: false, $id: 'WorkflowVersion' },
)
export type WorkflowVersion = Static<typeof WorkflowVersion>
