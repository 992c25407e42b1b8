/** fast-check arbitraries for the console's tests, built from core's catalog (nothing restated). */
import { STEP_CATALOG, STEP_IDS, type StepId } from '@wf/core'
import fc from 'fast-check'
import type { Draft, DraftStep } from '../draft.js'

export interface FieldSchema {
  type?: string
  minimum?: number
  maximum?: number
  enum?: readonly unknown[]
  default?: unknown
  description?: string
  title?: string
}

/** A step's config fields and their schemas, as core's catalog has them. */
export function schemasOf(id: StepId): [string, FieldSchema][] {
  return Object.entries((STEP_CATALOG[id].config as unknown as { properties: Record<string, FieldSchema> }).properties)
}

/** A value core accepts for the field. */
export function validValue(schema: FieldSchema): fc.Arbitrary<unknown> {
  if (schema.type === 'integer') return fc.integer({ min: schema.minimum!, max: schema.maximum! })
  if (schema.type === 'boolean') return fc.boolean()
  return fc.constantFrom(...(schema.enum ?? []))
}

/** A value core may or may not accept: mostly valid, sometimes just out of range or of the wrong type. */
export function anyValue(schema: FieldSchema): fc.Arbitrary<unknown> {
  const near =
    schema.type === 'integer'
      ? fc.oneof(
          fc.integer({ min: schema.minimum! - 3, max: schema.maximum! + 3 }),
          fc.constant(schema.minimum! + 0.5),
          fc.constant(String(schema.default)),
        )
      : schema.type === 'boolean'
        ? fc.constantFrom('true', 0, null)
        : fc.constantFrom('NONE', '', null)
  return fc.oneof({ arbitrary: validValue(schema), weight: 3 }, { arbitrary: near, weight: 1 })
}

/** Some of a step's fields, set to values from `value`; with `unknownKeys`, sometimes a key the step does not have. */
export function configOf(
  id: StepId,
  value: (s: FieldSchema) => fc.Arbitrary<unknown>,
  unknownKeys = false,
): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(schemasOf(id).map(([key, schema]) => [key, value(schema)]))
  const known = fc.record(fields, { requiredKeys: [] })
  if (!unknownKeys) return known as fc.Arbitrary<Record<string, unknown>>
  return fc
    .tuple(known, fc.option(fc.constantFrom('minimum_agee', 'status', 'a/b~c'), { nil: undefined }), fc.integer())
    .map(([config, extra, v]) => (extra === undefined ? config : { ...config, [extra]: v })) as fc.Arbitrary<Record<string, unknown>>
}

export function stepOf(id: StepId, value = validValue, unknownKeys = false): fc.Arbitrary<DraftStep> {
  return configOf(id, value, unknownKeys).map((config) => ({ id, config }))
}

/** Catalog steps, each at most once, in any order. */
export const stepIds: fc.Arbitrary<StepId[]> = fc.shuffledSubarray([...STEP_IDS])

/**
 * A draft. `valid`: values core accepts (a cross-field rule may still fail); otherwise anything,
 * including duplicates, unknown config keys and no steps.
 */
export function draftOf(options: { valid: boolean }): fc.Arbitrary<Draft> {
  const value = options.valid ? validValue : anyValue
  const ids = options.valid
    ? stepIds.filter((ids) => ids.length > 0)
    : fc.oneof(stepIds, fc.array(fc.constantFrom(...STEP_IDS), { maxLength: 12 }))
  const name = options.valid
    ? fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '')
    : fc.oneof(fc.string(), fc.constant('  '))
  return fc.record({
    name,
    steps: ids.chain((list) => fc.tuple(...list.map((id) => stepOf(id, value, !options.valid)))),
  })
}
