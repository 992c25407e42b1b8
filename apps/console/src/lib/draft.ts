/**
 * The editable workflow: a name and the steps in order, each with only the config fields the person
 * set (defaults come from core). Every update returns a new draft; none mutates its input.
 */
import { type CreateWorkflowRequest, STEP_IDS, type StepId } from '@wf/core'

export interface DraftStep {
  id: StepId
  /** Only the fields the person set; the others take core's defaults. */
  config: Record<string, unknown>
}

export interface Draft {
  name: string
  steps: DraftStep[]
}

type StepRequest = CreateWorkflowRequest['steps'][number]

/** A new, empty draft (no name, no steps). */
export function emptyDraft(): Draft {
  return { name: '', steps: [] }
}

/** One step as the API takes it: `config` only when a field is set. */
export function toStepRequest(step: DraftStep): StepRequest {
  return (Object.keys(step.config).length === 0 ? { id: step.id } : { id: step.id, config: { ...step.config } }) as StepRequest
}

/**
 * The create request for this draft. Typed as the request, but its values are the person's: they
 * may be out of range until core's check says otherwise.
 */
export function toRequest(d: Draft): CreateWorkflowRequest {
  return { name: d.name, steps: d.steps.map(toStepRequest) }
}

/** A stored workflow (or version) as a draft: its full resolved configs are kept as set. */
export function fromWorkflow(w: { name: string; steps: readonly { id: StepId; config: object }[] }): Draft {
  return { name: w.name, steps: w.steps.map((s) => ({ id: s.id, config: { ...s.config } })) }
}

export function setName(d: Draft, name: string): Draft {
  return { ...d, name }
}

/**
 * Adds a step with no config at `index` (clamped to the list; default: the end). A step already in
 * the draft is not added again (each step at most once): the draft is returned unchanged.
 */
export function addStep(d: Draft, id: StepId, index: number = d.steps.length): Draft {
  if (d.steps.some((s) => s.id === id)) return d
  const at = clamp(index, 0, d.steps.length)
  return { ...d, steps: [...d.steps.slice(0, at), { id, config: {} }, ...d.steps.slice(at)] }
}

/** Removes the step at `index`; an index outside the list changes nothing. */
export function removeStep(d: Draft, index: number): Draft {
  if (!inList(d, index)) return d
  return { ...d, steps: d.steps.filter((_, i) => i !== index) }
}

/** Moves the step at `from` to `to` (clamped to the list); `from` outside the list changes nothing. */
export function moveStep(d: Draft, from: number, to: number): Draft {
  if (!inList(d, from)) return d
  const target = clamp(to, 0, d.steps.length - 1)
  if (target === from) return d
  const steps = [...d.steps]
  const [moved] = steps.splice(from, 1)
  steps.splice(target, 0, moved!)
  return { ...d, steps }
}

/**
 * Sets one config field of the step at `stepIndex`; `undefined` removes the field, so it takes its
 * default again. A step index outside the list changes nothing.
 */
export function setField(d: Draft, stepIndex: number, key: string, value: unknown): Draft {
  const step = d.steps[stepIndex]
  if (step === undefined) return d
  const config = { ...step.config }
  if (value === undefined) delete config[key]
  else config[key] = value
  return { ...d, steps: d.steps.map((s, i) => (i === stepIndex ? { id: s.id, config } : s)) }
}

/** Catalog steps not yet in the draft, in catalog order. */
export function availableSteps(d: Draft): StepId[] {
  const used = new Set(d.steps.map((s) => s.id))
  return STEP_IDS.filter((id) => !used.has(id))
}

function inList(d: Draft, index: number): boolean {
  return Number.isInteger(index) && index >= 0 && index < d.steps.length
}

function clamp(n: number, low: number, high: number): number {
  return Number.isNaN(n) ? high : Math.min(Math.max(Math.trunc(n), low), high)
}
