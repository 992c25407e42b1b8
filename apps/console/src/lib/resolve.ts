/**
 * One step resolved by core on its own: core's parse of an update whose only change is this one
 * step. A step's validity and resolution do not depend on the other steps (only duplicates do, and
 * those are a matter of the list), so this is exactly what the step would be stored as.
 */
import { type Issue, parseUpdateWorkflow, type StepId, type WorkflowStep } from '@wf/core'
import { toStepRequest } from './draft.js'

export type StepResolution = { ok: true; step: WorkflowStep } | { ok: false; issues: Issue[] }

const PREFIX = '/steps/0'

/** The step as core would store it, or core's issues with paths relative to the step (`/config/…`). */
export function resolveStep(step: { id: StepId; config: Record<string, unknown> }): StepResolution {
  const parsed = parseUpdateWorkflow({ steps: [toStepRequest(step)] })
  if (parsed.ok) return { ok: true, step: parsed.value.steps![0]! }
  return {
    ok: false,
    issues: parsed.issues.map((i) => ({ path: i.path.startsWith(PREFIX) ? i.path.slice(PREFIX.length) : i.path, message: i.message })),
  }
}

/** The resolved config of a step, or undefined when core rejects the step's config. */
export function resolvedConfig(step: { id: StepId; config: Record<string, unknown> }): Record<string, unknown> | undefined {
  const r = resolveStep(step)
  return r.ok ? (r.step.config as Record<string, unknown>) : undefined
}

/** The reference tokens of a JSON Pointer (RFC 6901), unescaped: `/steps/1/config/a~1b` → ['steps', '1', 'config', 'a/b']. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
}
