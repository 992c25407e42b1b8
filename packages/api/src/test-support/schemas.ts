/**
 * Response bodies checked against the schemas that define them: core's TypeBox values (the same
 * ones that become the OpenAPI components), compiled with TypeBox's `Compile`.
 */
import type { TSchema } from 'typebox'
import { Compile as compileSchema } from 'typebox/compile'
import { expect } from 'vitest'

export interface SchemaError {
  instancePath?: string
  message?: string
}

export interface Validator {
  Check(value: unknown): boolean
  Errors(value: unknown): SchemaError[]
}

const compiled = new WeakMap<object, Validator>()

/** TypeBox's `Compile`, cached per schema object. */
export function Compile(schema: object): Validator {
  let validator = compiled.get(schema)
  if (validator === undefined) {
    validator = compileSchema(schema as TSchema) as Validator
    compiled.set(schema, validator)
  }
  return validator
}

/** The schema errors of `value`, as `path: message` lines (empty when it validates). */
export function schemaErrors(schema: object, value: unknown): string[] {
  const validator = Compile(schema)
  if (validator.Check(value)) return []
  const errors = validator.Errors(value).map((e) => `${e.instancePath ?? ''}: ${e.message ?? JSON.stringify(e)}`)
  return errors.length > 0 ? errors : ['does not validate']
}

/** Asserts that `value` validates against `schema`, showing TypeBox's errors when it does not. */
export function expectSchema(schema: object, value: unknown, what = 'body'): void {
  expect(schemaErrors(schema, value), `${what}: ${JSON.stringify(value)}`).toEqual([])
}
