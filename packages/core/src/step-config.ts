/**
 * Validation and resolution of one step's config. Acceptance is decided by each step's compiled
 * TypeBox schema (built once, at module load); the wording of what fails comes from field rules
 * read off the same schema, so a message always names the bounds the schema enforces.
 */
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { type ResolvedConfigs, type RuleProblem, STEP_CATALOG, STEP_IDS, type StepEntry, type StepId } from './catalog.js'
import { type IssueList, pointerToken } from './issues.js'

interface FieldRule {
  name: string
  default: unknown
  accepts(value: unknown): boolean
  message: string
}

interface StepSpec {
  id: StepId
  fields: FieldRule[]
  fieldByName: ReadonlyMap<string, FieldRule>
  check(config: unknown): boolean
  errors(config: unknown): { instancePath: string; message: string }[]
  unknownField: string
  /** The catalog entry's derived fields and rules across fields, with its value types erased. */
  derive?: ((resolved: Record<string, unknown>) => Record<string, unknown>) | undefined
  rules: ReadonlyArray<(resolved: object, given: Readonly<Record<string, unknown>> | undefined) => RuleProblem | undefined>
}

type SchemaNode = { type?: string; minimum?: number; maximum?: number; enum?: unknown[]; default?: unknown }

function fieldRule(name: string, schema: SchemaNode): FieldRule {
  const base = { name, default: schema.default }
  if (schema.type === 'integer' && schema.minimum !== undefined && schema.maximum !== undefined) {
    const { minimum: min, maximum: max } = schema
    return {
      ...base,
      accepts: (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max,
      message: `must be an integer from ${min} to ${max}`,
    }
  }
  if (schema.type === 'boolean') {
    return { ...base, accepts: (v) => typeof v === 'boolean', message: 'must be true or false' }
  }
  if (Array.isArray(schema.enum)) {
    const values = schema.enum
    return {
      ...base,
      accepts: (v) => values.includes(v),
      message: `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
    }
  }
  // A catalog field of a kind this module cannot word is a programming error: fail at load.
  throw new Error(`step config field ${name} has an unsupported schema`)
}

function stepSpec(id: StepId): StepSpec {
  const entry: StepEntry = STEP_CATALOG[id]
  const schema = entry.config as TSchema & { properties: Record<string, SchemaNode> }
  const fields = Object.entries(schema.properties).map(([name, s]) => fieldRule(name, s))
  const validator = Compile(schema)
  return {
    id,
    fields,
    fieldByName: new Map(fields.map((f) => [f.name, f])),
    check: (config) => validator.Check(config),
    errors: (config) => validator.Errors(config),
    unknownField:
      fields.length === 0
        ? `is not allowed: ${id} has no configuration options`
        : `is not a field of ${id}; allowed: ${fields.map((f) => f.name).join(', ')}`,
    derive: entry.derive as StepSpec['derive'],
    rules: (entry.rules ?? []) as StepSpec['rules'],
  }
}

const SPECS = Object.fromEntries(STEP_IDS.map((id) => [id, stepSpec(id)])) as Record<StepId, StepSpec>

/**
 * Checks a step's config overrides (an object) against its schema and reports each problem under
 * `base`. Returns whether it is valid.
 */
export function checkStepConfig(id: StepId, config: Record<string, unknown>, base: string, issues: IssueList): boolean {
  const spec = SPECS[id]
  if (spec.check(config)) return true
  const before = issues.items.length
  for (const key of Object.keys(config)) {
    if (issues.full) return false
    const rule = spec.fieldByName.get(key)
    if (rule === undefined) issues.add(`${base}/${pointerToken(key)}`, spec.unknownField)
    else if (!rule.accepts(config[key])) issues.add(`${base}/${key}`, rule.message)
  }
  // The schema rejected something the field rules did not word: never let it pass silently.
  if (issues.items.length === before) {
    for (const e of spec.errors(config)) issues.add(base + e.instancePath, e.message)
  }
  return false
}

/** Builds the full config of a step: every field, in catalog order, given values over defaults. */
export function resolveStepConfig<Id extends StepId>(id: Id, given: Readonly<Record<string, unknown>> | undefined): ResolvedConfigs[Id] {
  const out: Record<string, unknown> = {}
  for (const field of SPECS[id].fields) {
    const value = given === undefined ? undefined : given[field.name]
    out[field.name] = value === undefined ? field.default : value
  }
  const { derive } = SPECS[id]
  return (derive === undefined ? out : derive(out)) as ResolvedConfigs[Id]
}

/** A step's config with every field at its default (what a step without `config` resolves to). */
export function defaultStepConfig<Id extends StepId>(id: Id): ResolvedConfigs[Id] {
  return resolveStepConfig(id, undefined)
}

/**
 * The catalog's rules across fields, on the resolved config (defaults included): each problem is
 * reported at the field the caller gave, under `base`, or at `base` itself.
 */
export function checkResolvedRules(
  id: StepId,
  resolved: object,
  given: Readonly<Record<string, unknown>> | undefined,
  base: string,
  issues: IssueList,
): void {
  for (const rule of SPECS[id].rules) {
    const problem = rule(resolved, given)
    if (problem !== undefined) issues.add(problem.field === undefined ? base : `${base}/${problem.field}`, problem.message)
  }
}
