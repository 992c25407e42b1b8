/**
 * Live validation: core's own parse of the create request, its issues placed on the form fields
 * they belong to, with core's messages unchanged.
 */
import { type Issue, isStepId, parseCreateWorkflow, parseUpdateWorkflow, type StepId, type WorkflowStep } from '@wf/core'
import { type Draft, toRequest } from './draft.js'
import { fieldFor, stepTitle } from './form.js'
import { pointerTokens, resolveStep } from './resolve.js'

export type { Issue } from '@wf/core'

export interface Checked {
  ok: boolean
  /** Core's issues, as core reports them (paths into the create request). */
  issues: Issue[]
  /** The workflow as it would be stored (defaults resolved); only when ok. */
  resolved?: { name: string; steps: WorkflowStep[] }
  /** Messages of a form field (for a range, those of either of its keys). */
  fieldErrors(stepIndex: number, key: string): string[]
  /**
   * Messages about a step as a whole (its id, a duplicate, its config as a whole), and about config
   * keys its form has no field for: those start with the key, as in `minimum_agee is not a field…`.
   */
  stepErrors(stepIndex: number): string[]
  /** Every problem of one step, its fields' included: what its row in the list counts. */
  problemsInStep(stepIndex: number): number
  nameErrors: string[]
  /** Messages about the step list as a whole (none, too many). */
  listErrors: string[]
  /** Messages about the request as a whole, or a property a workflow does not have. */
  formErrors: string[]
  /** Every issue with a human location, in core's order. */
  summary: { path: string; message: string; label: string }[]
}

/** Where an issue shows in the builder, and under what label. */
export type Place =
  | { at: 'name' }
  | { at: 'list' }
  | { at: 'form'; text: string }
  | { at: 'step'; index: number; text: string }
  | { at: 'field'; index: number; key: string }

export interface Located {
  issue: Issue
  label: string
  place: Place
}

const SEP = ' › '

/**
 * Places an issue of a create request: `/name`, `/steps`, `/steps/2`, `/steps/2/id`,
 * `/steps/1/config/confidence_threshold`… `stepIdAt` says which step an index holds, if known.
 */
export function locate(issue: Issue, stepIdAt: (index: number) => StepId | undefined): Located {
  const tokens = pointerTokens(issue.path)
  const [top, index, part, key] = tokens
  if (top === 'name' && tokens.length === 1) return { issue, label: 'Name', place: { at: 'name' } }
  if (top === 'steps' && tokens.length === 1) return { issue, label: 'Steps', place: { at: 'list' } }
  if (top !== 'steps' || index === undefined || !/^(0|[1-9][0-9]*)$/.test(index)) {
    return {
      issue,
      label: top === undefined ? 'Workflow' : tokens.join(SEP),
      place: { at: 'form', text: prefixed(tokens.join('/'), issue) },
    }
  }
  const i = Number(index)
  const id = stepIdAt(i)
  const stepLabel = id === undefined ? `Step ${i + 1}` : stepTitle(id)
  if (part === undefined || part === 'id' || (part === 'config' && key === undefined)) {
    return { issue, label: stepLabel, place: { at: 'step', index: i, text: issue.message } }
  }
  const field = part === 'config' && id !== undefined && key !== undefined ? fieldFor(id, key) : undefined
  if (field !== undefined) return { issue, label: stepLabel + SEP + field.label, place: { at: 'field', index: i, key: key! } }
  const name = (part === 'config' ? tokens.slice(3) : tokens.slice(2)).join('/')
  return { issue, label: stepLabel + SEP + name, place: { at: 'step', index: i, text: prefixed(name, issue) } }
}

function prefixed(name: string, issue: Issue): string {
  return name === '' ? issue.message : `${name} ${issue.message}`
}

/** Runs core's parseCreateWorkflow on the draft's request and places each issue. */
export function check(d: Draft): Checked {
  const parsed = parseCreateWorkflow(toRequest(d))
  const issues = parsed.ok ? [] : parsed.issues
  const located = issues.map((issue) => locate(issue, (i) => d.steps[i]?.id))
  const messages = (keep: (p: Place) => boolean): string[] =>
    located.filter((l) => keep(l.place)).map(({ place, issue }) => ('text' in place ? place.text : issue.message))
  return {
    ok: parsed.ok,
    issues,
    ...(parsed.ok && { resolved: parsed.value }),
    fieldErrors(stepIndex, key) {
      const id = d.steps[stepIndex]?.id
      const field = id === undefined ? undefined : fieldFor(id, key)
      const keys: readonly string[] = field?.key === key && field.rangeKeys !== undefined ? field.rangeKeys : [key]
      return messages((p) => p.at === 'field' && p.index === stepIndex && keys.includes(p.key))
    },
    stepErrors: (stepIndex) => messages((p) => p.at === 'step' && p.index === stepIndex),
    problemsInStep: (stepIndex) => messages((p) => (p.at === 'step' || p.at === 'field') && p.index === stepIndex).length,
    nameErrors: messages((p) => p.at === 'name'),
    listErrors: messages((p) => p.at === 'list'),
    formErrors: messages((p) => p.at === 'form'),
    summary: located.map((l) => ({ path: l.issue.path, message: l.issue.message, label: l.label })),
  }
}

/**
 * The workflow as it would be stored, step by step: each step resolved by core on its own, even
 * while another step (or the name, or the list) is invalid; undefined for a step core rejects.
 * The name as core stores it (trimmed) when valid, else as typed. When the draft is valid this is
 * exactly `check(d).resolved`.
 */
export function resolvedPreview(d: Draft): { name: string; steps: (WorkflowStep | undefined)[] } {
  const name = parseUpdateWorkflow({ name: d.name })
  return {
    name: name.ok && name.value.name !== undefined ? name.value.name : d.name,
    steps: d.steps.map((s) => (isStepId(s.id) ? resolveStep(s) : undefined)).map((r) => (r?.ok ? r.step : undefined)),
  }
}
