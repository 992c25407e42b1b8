/** Fraud analysis and escalation of ID_VERIFICATION (contract §1, the seed's table exactly). */
import type { ESCALATION_TYPES, ResolvedIdVerificationConfig } from './catalog.js'

// From the list itself, not from the catalog's config type, which is built with this module's help.
type EscalationType = (typeof ESCALATION_TYPES)[number]

/**
 * The resolved `enable_fraud_analysis`: an escalation implies analysis, whatever was given, because
 * escalating on a risk score needs the score synchronously.
 */
export function resolveFraudAnalysisFlag(given: boolean, escalationType: EscalationType): boolean {
  return given || escalationType !== 'none'
}

export interface FraudAnalysis {
  /** `sync`: IDs are analysed before the session completes and results returned; `async`: after. */
  mode: 'async' | 'sync'
  /** Set when a high risk score triggers an extra verification step. */
  escalation: null | { type: Exclude<EscalationType, 'none'>; risk_threshold: number }
}

/** How fraud analysis runs for a resolved ID_VERIFICATION config. */
export function fraudAnalysis(config: ResolvedIdVerificationConfig): FraudAnalysis {
  const escalation =
    config.escalation_type === 'none' ? null : { type: config.escalation_type, risk_threshold: config.escalation_risk_threshold }
  return { mode: config.enable_fraud_analysis || escalation ? 'sync' : 'async', escalation }
}

/**
 * Whether a session with this fraud risk score escalates: only when an escalation type is set and
 * `riskScore >= escalation_risk_threshold`. A score that is not a number from 0 to 100 is a bug in
 * the caller, not a decision: it throws a RangeError.
 */
export function shouldEscalate(config: ResolvedIdVerificationConfig, riskScore: number): boolean {
  if (typeof riskScore !== 'number' || !(riskScore >= 0 && riskScore <= 100)) {
    throw new RangeError(`risk score must be a number from 0 to 100, got ${String(riskScore)}`)
  }
  return config.escalation_type !== 'none' && riskScore >= config.escalation_risk_threshold
}
