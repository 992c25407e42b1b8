/**
 * Validation and resolution of create and update requests (contract §2 and §4). Two stages: the
 * envelope (name, steps, each step's id) is walked directly, because its rules are not JSON Schema
 * (names trimmed and counted in code points, duplicate steps); then each step's config is checked
 * against its own step's compiled schema. Every problem is reported, up to MAX_ISSUES.
 *
 * Never throws on a JSON value and never mutates its input: resolved values are new objects.
 */
import { isStepId, STEP_IDS, type StepId } from './catalog.js'
import { CREATE_WORKFLOW, UPDATE_WORKFLOW } from './gate.js'
import { IssueList, isObject, type ParseResult, pointerToken } from './issues.js'
import { parseName } from './name.js'
import { STEPS_MAX, type WorkflowStep } from './schemas.js'
import { checkResolvedRules, checkStepConfig, resolveStepConfig } from './step-config.js'

export interface ResolvedCreateWorkflow {
  name: string
  steps: WorkflowStep[]
}

export interface ResolvedUpdateWorkflow {
  name?: string
  steps?: WorkflowStep[]
}

const STEP_ID_LIST = STEP_IDS.join(', ')
const STEP_IDS_UPPER: ReadonlySet<string> = new Set(STEP_IDS)

/** `create` requires name and steps; `update` takes any of them. */
export function parseCreateWorkflow(input: unknown): ParseResult<ResolvedCreateWorkflow> {
  return parseWorkflowBody(input, true) as ParseResult<ResolvedCreateWorkflow>
}

/** PATCH /v1/workflows/{id}: any of name and steps; `{}` is valid and changes nothing. */
export function parseUpdateWorkflow(input: unknown): ParseResult<ResolvedUpdateWorkflow> {
  return parseWorkflowBody(input, false)
}

function parseWorkflowBody(input: unknown, create: boolean): ParseResult<ResolvedUpdateWorkflow> {
  const issues = new IssueList()
  const shape = create ? CREATE_WORKFLOW : UPDATE_WORKFLOW
  const shapeOk = shape.check(input)
  if (!isObject(input)) {
    issues.add('', create ? 'must be a JSON object with name and steps' : 'must be a JSON object with any of name and steps')
    return issues.result({})
  }
  for (const key of Object.keys(input)) {
    if (key !== 'name' && key !== 'steps') {
      issues.add(`/${pointerToken(key)}`, 'is not allowed: a workflow has only name and steps')
    }
  }
  const value: ResolvedUpdateWorkflow = {}
  if (input.name !== undefined) value.name = parseName(input.name, '/name', issues)
  else if (create) issues.add('/name', 'is required')
  if (input.steps !== undefined) value.steps = parseSteps(input.steps, issues)
  else if (create) issues.add('/steps', 'is required')
  shape.backstop(input, shapeOk, issues)
  return issues.result(value)
}

function parseSteps(value: unknown, issues: IssueList): WorkflowStep[] {
  if (!Array.isArray(value)) {
    issues.add('/steps', `must be an array of 1 to ${STEPS_MAX} steps`)
    return []
  }
  if (value.length === 0 || value.length > STEPS_MAX) {
    issues.add('/steps', `must have 1 to ${STEPS_MAX} steps; it has ${value.length}`)
  }
  const steps: WorkflowStep[] = []
  const seen = new Map<StepId, number>()
  for (let i = 0; i < value.length && !issues.full; i++) {
    const step = parseStep(value[i], `/steps/${i}`, issues)
    if (step === undefined) continue
    const first = seen.get(step.id)
    if (first !== undefined) {
      issues.add(`/steps/${i}/id`, `duplicates /steps/${first}/id: each step may appear only once`)
    } else {
      seen.set(step.id, i)
    }
    steps.push(step)
  }
  return steps
}

/** One step: returns it resolved, or undefined when its id is unusable or its config is invalid. */
function parseStep(item: unknown, base: string, issues: IssueList): WorkflowStep | undefined {
  if (!isObject(item)) {
    issues.add(base, 'must be an object with an id and an optional config')
    return undefined
  }
  for (const key of Object.keys(item)) {
    if (key !== 'id' && key !== 'config') {
      issues.add(`${base}/${pointerToken(key)}`, 'is not allowed: a step has only id and config')
    }
  }
  const { id, config } = item
  const configOk = config === undefined || isObject(config)
  if (!configOk) issues.add(`${base}/config`, 'must be an object')

  if (!isStepId(id)) {
    issues.add(`${base}/id`, id === undefined ? 'is required' : unknownStepMessage(id))
    return undefined
  }
  if (!configOk) return { id, config: resolveStepConfig(id, undefined) } as WorkflowStep
  const given = config as Record<string, unknown> | undefined
  if (given !== undefined && !checkStepConfig(id, given, `${base}/config`, issues)) {
    return { id, config: resolveStepConfig(id, undefined) } as WorkflowStep
  }
  const resolved = resolveStepConfig(id, given)
  checkResolvedRules(id, resolved, given, `${base}/config`, issues)
  return { id, config: resolved } as WorkflowStep
}

export function unknownStepMessage(id: unknown): string {
  const hint = typeof id === 'string' && STEP_IDS_UPPER.has(id.toUpperCase()) ? ' (step IDs are case-sensitive)' : ''
  return `must be one of ${STEP_ID_LIST}${hint}`
}
