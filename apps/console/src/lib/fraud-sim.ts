/**
 * What a session with a given fraud risk score would do under a resolved ID_VERIFICATION config,
 * decided by core's fraudAnalysis and shouldEscalate alone (contract §1, the seed's table).
 */
import { fraudAnalysis, type ResolvedIdVerificationConfig, shouldEscalate } from '@wf/core'
import { optionLabel } from './form.js'

export interface Simulation {
  /** Whether IDs are analysed during the session (synchronously), so the score can act on it. */
  analysed: boolean
  /** Core's analysis mode; null when the score is not one (see `sentence`). */
  mode: 'sync' | 'async' | null
  escalates: boolean
  /** The risk threshold of the escalation; null without escalation. */
  threshold: number | null
  sentence: string
}

export function simulate(resolvedIdVerificationConfig: ResolvedIdVerificationConfig, riskScore: number): Simulation {
  const { mode, escalation } = fraudAnalysis(resolvedIdVerificationConfig)
  const threshold = escalation?.risk_threshold ?? null
  let escalates: boolean
  try {
    escalates = shouldEscalate(resolvedIdVerificationConfig, riskScore)
  } catch (e) {
    if (!(e instanceof RangeError)) throw e
    return { analysed: false, mode: null, escalates: false, threshold, sentence: sentence(e.message) }
  }
  const analysed = mode === 'sync'
  if (escalation === null) {
    return {
      analysed,
      mode,
      escalates,
      threshold,
      sentence: analysed
        ? `Risk ${riskScore}: fraud analysis runs during the session and returns its results, but no escalation is set: no escalation.`
        : 'Fraud analysis runs asynchronously, after the session: no escalation.',
    }
  }
  const to = withArticle(optionLabel(escalation.type))
  return {
    analysed,
    mode,
    escalates,
    threshold,
    sentence: escalates
      ? `Risk ${riskScore} ≥ threshold ${threshold}: this workflow escalates to ${to}.`
      : `Risk ${riskScore} < threshold ${threshold}: no escalation (it would take ${threshold} or more to escalate to ${to}).`,
  }
}

/** Core's message as a sentence: capitalised, with a full stop. */
function sentence(message: string): string {
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`
}

/** "an NFC passport scan", "a passport scan": by the sound of the first letter (of an acronym, its name). */
function withArticle(label: string): string {
  const acronym = /^[A-Z]{2,}\b/.test(label)
  const vowelSound = acronym ? /^[AEFHILMNORSX]/.test(label) : /^[aeiou]/i.test(label)
  return `${vowelSound ? 'an' : 'a'} ${label}`
}
