/**
 * The step catalog (contract §1): every step a workflow may contain, its description and its
 * configuration fields. The TypeBox schemas here are the single source of truth: request
 * validation, default resolution, error wording and the OpenAPI document are all derived from them.
 */
import Type, { type Static } from 'typebox'

export const STEP_IDS = [
  'ID_VERIFICATION',
  'FACE_LIVENESS',
  'AGE_ESTIMATION',
  'PEP_SANCTIONS',
  'ADVERSE_MEDIA',
] as const

export const StepId = Type.Enum(STEP_IDS, {
  $id: 'StepId',
  description: 'Step identifier (case-sensitive).',
})
export type StepId = Static<typeof StepId>

export const ESCALATION_TYPES = ['none', 'nfc-passport'] as const

// Field definitions, in the order the resolved config lists them (contract §1).
const idVerificationFields = {
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
}

const faceLivenessFields = {
  confidence_threshold: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 70,
    description: 'Liveness confidence threshold.',
  }),
}

const ageEstimationFields = {
  minimum_age: Type.Integer({ minimum: 1, maximum: 100, default: 18, description: 'Minimum age requirement.' }),
}

const closed = { additionalProperties: false } as const

// Request form: every field optional (defaults fill the gaps). Resolved form: every field present.
export const IdVerificationConfig = Type.Partial(Type.Object(idVerificationFields), {
  ...closed,
  $id: 'IdVerificationConfig',
  description: 'ID_VERIFICATION configuration overrides; omitted fields take their defaults.',
})
export type IdVerificationConfig = Static<typeof IdVerificationConfig>
export const ResolvedIdVerificationConfig = Type.Object(idVerificationFields, {
  ...closed,
  $id: 'ResolvedIdVerificationConfig',
  description: 'ID_VERIFICATION configuration with every field resolved.',
})
export type ResolvedIdVerificationConfig = Static<typeof ResolvedIdVerificationConfig>

export const FaceLivenessConfig = Type.Partial(Type.Object(faceLivenessFields), {
  ...closed,
  $id: 'FaceLivenessConfig',
  description: 'FACE_LIVENESS configuration overrides.',
})
export type FaceLivenessConfig = Static<typeof FaceLivenessConfig>
export const ResolvedFaceLivenessConfig = Type.Object(faceLivenessFields, {
  ...closed,
  $id: 'ResolvedFaceLivenessConfig',
})
export type ResolvedFaceLivenessConfig = Static<typeof ResolvedFaceLivenessConfig>

export const AgeEstimationConfig = Type.Partial(Type.Object(ageEstimationFields), {
  ...closed,
  $id: 'AgeEstimationConfig',
  description: 'AGE_ESTIMATION configuration overrides.',
})
export type AgeEstimationConfig = Static<typeof AgeEstimationConfig>
export const ResolvedAgeEstimationConfig = Type.Object(ageEstimationFields, {
  ...closed,
  $id: 'ResolvedAgeEstimationConfig',
})
export type ResolvedAgeEstimationConfig = Static<typeof ResolvedAgeEstimationConfig>

/** PEP_SANCTIONS and ADVERSE_MEDIA have no options: config is absent or `{}`. */
export const EmptyConfig = Type.Object({}, {
  ...closed,
  $id: 'EmptyConfig',
  description: 'This step has no configuration options; config is absent or {}.',
})
export type EmptyConfig = Static<typeof EmptyConfig>

export const STEP_CATALOG = {
  ID_VERIFICATION: {
    description: 'Government ID scanning and validation',
    config: IdVerificationConfig,
    resolved: ResolvedIdVerificationConfig,
  },
  FACE_LIVENESS: {
    description: 'Active anti-spoofing liveness detection',
    config: FaceLivenessConfig,
    resolved: ResolvedFaceLivenessConfig,
  },
  AGE_ESTIMATION: {
    description: 'Biometric age estimation',
    config: AgeEstimationConfig,
    resolved: ResolvedAgeEstimationConfig,
  },
  PEP_SANCTIONS: {
    description: 'Politically exposed persons & sanctions screening',
    config: EmptyConfig,
    resolved: EmptyConfig,
  },
  ADVERSE_MEDIA: {
    description: 'Negative press and media mention detection',
    config: EmptyConfig,
    resolved: EmptyConfig,
  },
} as const satisfies Record<StepId, { description: string; config: unknown; resolved: unknown }>

/** The resolved config of each step, by step ID. */
export interface ResolvedConfigs {
  ID_VERIFICATION: ResolvedIdVerificationConfig
  FACE_LIVENESS: ResolvedFaceLivenessConfig
  AGE_ESTIMATION: ResolvedAgeEstimationConfig
  PEP_SANCTIONS: EmptyConfig
  ADVERSE_MEDIA: EmptyConfig
}

const stepIdSet: ReadonlySet<string> = new Set(STEP_IDS)

export function isStepId(value: unknown): value is StepId {
  return typeof value === 'string' && stepIdSet.has(value)
}
