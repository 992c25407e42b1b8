/**
 * The step catalog (contract §1): every step a workflow may contain. Each step is described in one
 * place, its entry in STEPS below: id, title, help text, configuration fields (with bounds,
 * defaults and help) and the rules across its fields. Everything else is derived from STEPS: the
 * step IDs, the request and record schemas (schemas.ts), validation and its wording
 * (step-config.ts), default resolution, the OpenAPI components and the console's forms.
 *
 * Adding a step is adding one entry to STEPS.
 */
import Type, { type Static, type TObject, type TProperties } from 'typebox'
import { resolveFraudAnalysisFlag } from './fraud.js'

export const ESCALATION_TYPES = ['none', 'nfc-passport'] as const

/** What a rule across fields reports: the field the caller gave, or the config as a whole. */
export interface RuleProblem {
  field?: string
  message: string
}

/** A step as the catalog describes it; `defineStep` derives its config schemas. */
interface StepDefinition<Id extends string, Fields extends TProperties> {
  id: Id
  /** A short human name, for consoles and docs. */
  title: string
  /** What the step does (help text). */
  description: string
  /** The `$id` prefix of its config schemas (`<name>Config`, `Resolved<name>Config`); the OpenAPI components are named after it. */
  schemaName: string
  /** Configuration fields in the order the resolved config lists them; each with bounds, default and help. */
  fields: Fields
  /** Fields that follow from others once defaults are applied. Returns a new config. */
  derive?: (resolved: Static<TObject<Fields>>) => Static<TObject<Fields>>
  /** Rules across fields, on the resolved config (defaults included), with the fields the caller gave. */
  rules?: ReadonlyArray<
    (resolved: Static<TObject<Fields>>, given: Readonly<Record<string, unknown>> | undefined) => RuleProblem | undefined
  >
}

const closed = { additionalProperties: false } as const

/** PEP_SANCTIONS and ADVERSE_MEDIA have no options: config is absent or `{}`. One schema serves every such step. */
export const EmptyConfig = Type.Object(
  {},
  {
    ...closed,
    $id: 'EmptyConfig',
    description: 'This step has no configuration options; config is absent or {}.',
  },
)
export type EmptyConfig = Static<typeof EmptyConfig>

/** A catalog entry: the definition with its request-form (`config`) and resolved-form (`resolved`) schemas. */
function defineStep<const Id extends string, Fields extends TProperties>(definition: StepDefinition<Id, Fields>) {
  const { id, schemaName, fields } = definition
  // Request form: every field optional (defaults fill the gaps). Resolved form: every field present.
  const config = Type.Partial(Type.Object(fields), {
    ...closed,
    $id: `${schemaName}Config`,
    description: `${id} configuration overrides; omitted fields take their defaults.`,
  })
  const resolved = Type.Object(fields, {
    ...closed,
    $id: `Resolved${schemaName}Config`,
    description: `${id} configuration with every field resolved.`,
  })
  if (Object.keys(fields).length > 0) return { ...definition, config, resolved }
  // A step without options: both forms are the one shared EmptyConfig.
  return { ...definition, config: EmptyConfig as unknown as typeof config, resolved: EmptyConfig as unknown as typeof resolved }
}

/**
 * minimum ≤ maximum on the resolved config, reported at the field the caller gave (the other
 * value in the message), else at the config as a whole.
 */
function notGreaterThan<C extends Record<string, unknown>>(low: keyof C & string, high: keyof C & string) {
  return (resolved: C, given: Readonly<Record<string, unknown>> | undefined): RuleProblem | undefined => {
    const min = resolved[low] as number
    const max = resolved[high] as number
    if (min <= max) return undefined
    if (given?.[low] !== undefined) return { field: low, message: `must not be greater than ${high} (${max})` }
    if (given?.[high] !== undefined) return { field: high, message: `must not be less than ${low} (${min})` }
    return { message: `${low} (${min}) must not be greater than ${high} (${max})` }
  }
}

const idVerification = defineStep({
  id: 'ID_VERIFICATION',
  title: 'ID verification',
  description: 'Government ID scanning and validation',
  schemaName: 'IdVerification',
  fields: {
    minimum_age: Type.Integer({
      minimum: 0,
      maximum: 150,
      default: 18,
      description: 'Minimum accepted age. Must not exceed maximum_age (defaults included).',
    }),
    maximum_age: Type.Integer({ minimum: 0, maximum: 150, default: 51, description: 'Maximum accepted age.' }),
    expiry_date_years: Type.Integer({
      minimum: 0,
      maximum: 100,
      default: 2,
      description: 'Maximum years until ID expiry is rejected.',
    }),
    require_secondary_id: Type.Boolean({ default: false, description: 'Require a second form of ID.' }),
    require_tertiary_id: Type.Boolean({ default: false, description: 'Require a third form of ID.' }),
    face_front_photo_only: Type.Boolean({ default: false, description: 'Only capture front-facing photo.' }),
    require_front_only: Type.Boolean({ default: false, description: 'Only scan front of ID.' }),
    enable_fraud_analysis: Type.Boolean({
      default: false,
      description:
        'Run fraud analysis synchronously on submitted IDs (otherwise it runs asynchronously). ' +
        'Forced to true when escalation_type is not none.',
    }),
    escalation_type: Type.Enum(ESCALATION_TYPES, {
      default: 'none',
      description: 'Escalation method when fraud risk is high. Anything but none implicitly enables enable_fraud_analysis.',
    }),
    escalation_risk_threshold: Type.Integer({
      minimum: 0,
      maximum: 100,
      default: 60,
      description:
        'Fraud risk score (0–100) at or above which escalation is triggered. Stored but without effect while escalation_type is none.',
    }),
  },
  derive: (c) => ({ ...c, enable_fraud_analysis: resolveFraudAnalysisFlag(c.enable_fraud_analysis, c.escalation_type) }),
  rules: [notGreaterThan('minimum_age', 'maximum_age')],
})

const faceLiveness = defineStep({
  id: 'FACE_LIVENESS',
  title: 'Face liveness',
  description: 'Active anti-spoofing liveness detection',
  schemaName: 'FaceLiveness',
  fields: {
    confidence_threshold: Type.Integer({ minimum: 1, maximum: 100, default: 70, description: 'Liveness confidence threshold.' }),
  },
})

const ageEstimation = defineStep({
  id: 'AGE_ESTIMATION',
  title: 'Age estimation',
  description: 'Biometric age estimation',
  schemaName: 'AgeEstimation',
  fields: {
    minimum_age: Type.Integer({ minimum: 1, maximum: 100, default: 18, description: 'Minimum age requirement.' }),
  },
})

const pepSanctions = defineStep({
  id: 'PEP_SANCTIONS',
  title: 'PEP and sanctions screening',
  description: 'Politically exposed persons & sanctions screening',
  schemaName: 'PepSanctions',
  fields: {},
})

const adverseMedia = defineStep({
  id: 'ADVERSE_MEDIA',
  title: 'Adverse media screening',
  description: 'Negative press and media mention detection',
  schemaName: 'AdverseMedia',
  fields: {},
})

/** The catalog, in the contract's order. */
export const STEPS = [idVerification, faceLiveness, ageEstimation, pepSanctions, adverseMedia] as const

type Steps = typeof STEPS
export type StepEntry = Steps[number]

type IdsOf<T extends readonly { id: string }[]> = { readonly [K in keyof T]: T[K] extends { id: infer Id } ? Id : never }

export const STEP_IDS = STEPS.map((step) => step.id) as unknown as IdsOf<Steps>

export const StepId = Type.Enum(STEP_IDS, {
  $id: 'StepId',
  description: 'Step identifier (case-sensitive).',
})
export type StepId = Static<typeof StepId>

/** Each step's entry by its id. */
export const STEP_CATALOG = Object.fromEntries(STEPS.map((step) => [step.id, step])) as unknown as {
  readonly [S in StepEntry as S['id']]: S
}

/** The resolved config of each step, by step ID. */
export type ResolvedConfigs = { [S in StepEntry as S['id']]: Static<S['resolved']> }
/** The config overrides a request may give each step, by step ID. */
export type StepConfigs = { [S in StepEntry as S['id']]: Static<S['config']> }

/** Every step config schema with an `$id` (each once), for the OpenAPI components. */
export const STEP_CONFIG_SCHEMAS = [...new Set(STEPS.flatMap((step) => [step.config, step.resolved]))]

// Named exports of the schemas other teams and the OpenAPI document refer to.
export const IdVerificationConfig = idVerification.config
export type IdVerificationConfig = Static<typeof IdVerificationConfig>
export const ResolvedIdVerificationConfig = idVerification.resolved
export type ResolvedIdVerificationConfig = Static<typeof ResolvedIdVerificationConfig>
export const FaceLivenessConfig = faceLiveness.config
export type FaceLivenessConfig = Static<typeof FaceLivenessConfig>
export const ResolvedFaceLivenessConfig = faceLiveness.resolved
export type ResolvedFaceLivenessConfig = Static<typeof ResolvedFaceLivenessConfig>
export const AgeEstimationConfig = ageEstimation.config
export type AgeEstimationConfig = Static<typeof AgeEstimationConfig>
export const ResolvedAgeEstimationConfig = ageEstimation.resolved
export type ResolvedAgeEstimationConfig = Static<typeof ResolvedAgeEstimationConfig>

const stepIdSet: ReadonlySet<string> = new Set(STEP_IDS)

export function isStepId(value: unknown): value is StepId {
  return typeof value === 'string' && stepIdSet.has(value)
}
