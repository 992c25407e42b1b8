/**
 * The settings form of a step, generated from core's catalog: one field per config field, in the
 * schema's order, with the schema's bounds, default and help text. Nothing here restates a rule:
 * the only wording of its own is presentation (labels of keys and options, slider steps).
 */
import { defaultStepConfig, STEP_CATALOG, type StepId } from '@wf/core'
import { pointerTokens, resolveStep } from './resolve.js'

export type FieldKind = 'slider' | 'integer' | 'toggle' | 'select' | 'range'

export interface FieldSpec {
  key: string
  label: string
  help: string
  kind: FieldKind
  min?: number
  max?: number
  step?: number
  defaultValue: unknown
  options?: { value: string; label: string }[]
  rangeKeys?: [string, string]
  group: 'main' | 'escalation'
}

/** A config field's JSON Schema, as the catalog's TypeBox schemas produce it. */
interface FieldSchema {
  type?: string
  title?: string
  description?: string
  minimum?: number
  maximum?: number
  enum?: readonly unknown[]
  default?: unknown
}

// Presentation only: words a key or an option value does not spell as a person would.
const ACRONYMS: Readonly<Record<string, string>> = { id: 'ID', nfc: 'NFC', pep: 'PEP' }
const OPTION_LABELS: Readonly<Record<string, string>> = { 'nfc-passport': 'NFC passport scan' }
/** Slider step per field where finer steps would be noise (deepidv's risk slider moves by 5). */
const SLIDER_STEPS: Readonly<Record<string, number>> = { escalation_risk_threshold: 5 }
/** The fields shown only once fraud analysis is on. */
const ESCALATION_PREFIX = 'escalation_'
const FRAUD_FLAG = 'enable_fraud_analysis'
const ESCALATION_TYPE = 'escalation_type'
const NO_ESCALATION = 'none'

export function stepTitle(id: StepId): string {
  return STEP_CATALOG[id].title
}

export function stepDescription(id: StepId): string {
  return STEP_CATALOG[id].description
}

/** The schemas of a step's config fields, in catalog order. */
function fieldSchemas(id: StepId): [string, FieldSchema][] {
  const config = STEP_CATALOG[id].config as unknown as { properties: Record<string, FieldSchema> }
  return Object.entries(config.properties)
}

/** 'confidence_threshold' → 'Confidence threshold'; 'require_secondary_id' → 'Require secondary ID'. */
export function humanize(key: string): string {
  const words = key.split(/[_-]+/).filter((w) => w !== '')
  const text = words.map((w, i) => ACRONYMS[w] ?? (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ')
  return text === '' ? key : text
}

/** A human label for an option value: 'none' → 'None', 'nfc-passport' → 'NFC passport scan'. */
export function optionLabel(value: string): string {
  return OPTION_LABELS[value] ?? humanize(value)
}

/** The label of one config key (its schema title, else the key in words), whether or not the form shows it in a range. */
export function fieldLabel(id: StepId, key: string): string {
  const schema = fieldSchemas(id).find(([k]) => k === key)?.[1]
  return schema?.title ?? humanize(key)
}

const FORMS = new Map<StepId, readonly FieldSpec[]>()

/**
 * The form of a step: one spec per config field in schema order; a `minimum_X` with a `maximum_X`
 * beside it becomes one `range` field (key `minimum_X`). A new array each call, of specs that are
 * built once and frozen (so the same field is the same object from call to call).
 */
export function stepForm(stepId: StepId): FieldSpec[] {
  let form = FORMS.get(stepId)
  if (form === undefined) {
    form = buildForm(stepId).map((f) =>
      Object.freeze({ ...f, ...(f.options && { options: Object.freeze(f.options) as typeof f.options }) }),
    )
    FORMS.set(stepId, form)
  }
  return [...form]
}

function buildForm(stepId: StepId): FieldSpec[] {
  const schemas = fieldSchemas(stepId)
  const byKey = new Map(schemas)
  const specs: FieldSpec[] = []
  for (const [key, schema] of schemas) {
    const pair = rangePartner(key, byKey)
    if (pair === 'second') continue
    specs.push(pair === undefined ? fieldSpec(key, schema) : rangeSpec(key, schema, pair[0], pair[1]))
  }
  return specs
}

/** For `minimum_X` with a `maximum_X`: the maximum's key and schema; 'second' for `maximum_X` itself. */
function rangePartner(key: string, byKey: ReadonlyMap<string, FieldSchema>): [string, FieldSchema] | 'second' | undefined {
  const m = /^(minimum|maximum)_(.+)$/.exec(key)
  if (m === null) return undefined
  const [, end, rest] = m
  const other = `${end === 'minimum' ? 'maximum' : 'minimum'}_${rest}`
  const otherSchema = byKey.get(other)
  if (otherSchema?.type !== 'integer' || byKey.get(key)?.type !== 'integer') return undefined
  return end === 'maximum' ? 'second' : [other, otherSchema]
}

function common(key: string, schema: FieldSchema) {
  return {
    key,
    label: schema.title ?? humanize(key),
    help: schema.description ?? '',
    defaultValue: schema.default,
    group: key.startsWith(ESCALATION_PREFIX) ? ('escalation' as const) : ('main' as const),
  }
}

function bounds(schema: FieldSchema): { min?: number; max?: number } {
  return { ...(schema.minimum !== undefined && { min: schema.minimum }), ...(schema.maximum !== undefined && { max: schema.maximum }) }
}

function fieldSpec(key: string, schema: FieldSchema): FieldSpec {
  if (schema.type === 'boolean') return { ...common(key, schema), kind: 'toggle' }
  if (schema.type === 'integer') {
    return {
      ...common(key, schema),
      kind: isThreshold(key, schema) ? 'slider' : 'integer',
      ...bounds(schema),
      step: SLIDER_STEPS[key] ?? 1,
    }
  }
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) {
    const values = schema.enum as readonly string[]
    return { ...common(key, schema), kind: 'select', options: values.map((value) => ({ value, label: optionLabel(value) })) }
  }
  throw new Error(`config field ${key} has a schema the console has no form field for`)
}

/** A threshold: an integer score bounded 0 or 1 to 100. */
function isThreshold(key: string, schema: FieldSchema): boolean {
  return key.endsWith('_threshold') && (schema.minimum === 0 || schema.minimum === 1) && schema.maximum === 100
}

function rangeSpec(key: string, schema: FieldSchema, maxKey: string, maxSchema: FieldSchema): FieldSpec {
  const lows = [schema.minimum, maxSchema.minimum].filter((n) => n !== undefined)
  const highs = [schema.maximum, maxSchema.maximum].filter((n) => n !== undefined)
  return {
    ...common(key, schema),
    label: `${humanize(key.replace(/^minimum_/, ''))} range`,
    help: [schema.description, maxSchema.description].filter((d) => d !== undefined).join(' '),
    kind: 'range',
    ...(lows.length > 0 && { min: Math.min(...lows) }),
    ...(highs.length > 0 && { max: Math.max(...highs) }),
    step: 1,
    defaultValue: [schema.default, maxSchema.default],
    rangeKeys: [key, maxKey],
  }
}

/** The form field a config key is shown in (the range for either of its keys), if any. */
export function fieldFor(stepId: StepId, key: string): FieldSpec | undefined {
  return stepForm(stepId).find((f) => f.key === key || f.rangeKeys?.includes(key))
}

/**
 * The fields to show for a resolved config: the escalation group only while fraud analysis is on,
 * and its fields other than the escalation type only while an escalation is chosen.
 */
export function visibleFields(stepId: StepId, resolvedConfig: Readonly<Record<string, unknown>>): FieldSpec[] {
  return stepForm(stepId).filter((f) => {
    if (f.group !== 'escalation') return true
    if (resolvedConfig[FRAUD_FLAG] !== true) return false
    return f.key === ESCALATION_TYPE || resolvedConfig[ESCALATION_TYPE] !== NO_ESCALATION
  })
}

/** A value as a person reads it: toggles on/off, options by their label. */
export function formatValue(stepId: StepId, key: string, value: unknown): string {
  if (value === undefined) return '(default)'
  if (typeof value === 'boolean') return value ? 'on' : 'off'
  const option = fieldFor(stepId, key)?.options?.find((o) => o.value === value)
  if (option !== undefined) return option.label
  return typeof value === 'number' ? String(value) : JSON.stringify(value)
}

/**
 * The config to show a step's form with: core's resolution of what the person set, or, while core
 * rejects some of it, core's resolution without the fields it rejects (at worst the defaults).
 */
export function displayConfig(step: { id: StepId; config: Readonly<Record<string, unknown>> }): Record<string, unknown> {
  let given: Record<string, unknown> = { ...step.config }
  for (;;) {
    const r = resolveStep({ id: step.id, config: given })
    if (r.ok) return r.step.config as Record<string, unknown>
    const rejected = new Set(r.issues.map((i) => configKey(i.path)))
    // A problem of the config as a whole (or of a field whose removal changes nothing): the defaults.
    if (rejected.has(undefined) || !Object.keys(given).some((k) => rejected.has(k))) break
    given = Object.fromEntries(Object.entries(given).filter(([k]) => !rejected.has(k)))
  }
  return defaultStepConfig(step.id) as Record<string, unknown>
}

/** The config field a step-relative pointer (`/config/<key>…`) is about, if any. */
function configKey(path: string): string | undefined {
  const [first, key] = pointerTokens(path)
  return first === 'config' ? key : undefined
}

/**
 * Toggles and selects whose value core decides whatever the person sets, with that value (e.g.
 * fraud analysis while an escalation is chosen). For a config core rejects, none.
 */
export function lockedFields(stepId: StepId, config: Readonly<Record<string, unknown>>): { key: string; value: unknown }[] {
  const locked: { key: string; value: unknown }[] = []
  for (const field of stepForm(stepId)) {
    const choices = field.kind === 'toggle' ? [true, false] : field.kind === 'select' ? (field.options ?? []).map((o) => o.value) : []
    if (choices.length < 2) continue
    const outcomes = choices.map((v) => resolveStep({ id: stepId, config: { ...config, [field.key]: v } }))
    const values = outcomes.map((r) => (r.ok ? (r.step.config as Record<string, unknown>)[field.key] : undefined))
    if (outcomes.every((r) => r.ok) && values.every((v) => v === values[0])) locked.push({ key: field.key, value: values[0] })
  }
  return locked
}
