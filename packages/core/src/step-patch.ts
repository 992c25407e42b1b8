/**
 * PATCH /v1/workflows/{id}/steps/{step_id}/config (contract §4, §8): the given fields replace
 * those fields of the stored, resolved config, the others keep their values, and the result is
 * resolved and checked again. Paths point into the PATCH body (`/config/confidence_threshold`).
 */
import type { ResolvedConfigs, StepId } from './catalog.js'
import { IssueList, isObject, type ParseResult, pointerToken } from './issues.js'
import { checkResolvedRules, checkStepConfig, resolveStepConfig } from './step-config.js'

/**
 * Checks the body on its own (shape, fields, types, ranges): everything that does not depend on
 * the stored config. Returns the config overrides it carries. `stepId` is trusted: a step ID from
 * a URL is checked by its caller (an unknown one is not a problem of the body).
 */
export function parseStepConfigPatch(stepId: StepId, body: unknown): ParseResult<Record<string, unknown>> {
  const issues = new IssueList()
  if (!isObject(body)) {
    issues.add('', 'must be a JSON object with a config')
    return issues.result({})
  }
  for (const key of Object.keys(body)) {
    if (key !== 'config') issues.add(`/${pointerToken(key)}`, 'is not allowed: the body has only config')
  }
  const patch = body.config
  if (patch === undefined) issues.add('/config', 'is required')
  else if (!isObject(patch)) issues.add('/config', 'must be an object')
  else if (checkStepConfig(stepId, patch, '/config', issues)) return issues.result(patch)
  return issues.result({})
}

/**
 * @param current the step's stored, resolved config (trusted: it was resolved when written)
 * @param stepId the step the patch is for
 * @param body the request body, `{ "config": { … } }`
 */
export function applyStepConfigPatch<Id extends StepId>(
  current: ResolvedConfigs[Id],
  stepId: Id,
  body: unknown,
): ParseResult<ResolvedConfigs[Id]> {
  const parsed = parseStepConfigPatch(stepId, body)
  if (!parsed.ok) return parsed
  const issues = new IssueList()
  const resolved = resolveStepConfig(stepId, { ...current, ...parsed.value })
  checkResolvedRules(stepId, resolved, parsed.value, '/config', issues)
  return issues.result(resolved)
}
