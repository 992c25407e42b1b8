/**
 * The checks every reply of a kind must pass: error bodies (contract §5), rate-limit headers (§6),
 * and bodies against core's TypeBox schemas (the same ones that validate requests and make the
 * OpenAPI components), compiled with `Compile` from typebox/compile.
 */
import { ErrorBody, Workflow } from '@wf/core'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { expect } from 'vitest'
import type { Json, Reply } from './client.js'

const compiled = new WeakMap<object, ReturnType<typeof Compile>>()

/** The schema errors of `value` as `path: message` lines; empty when it validates. */
export function schemaErrors(schema: TSchema, value: unknown): string[] {
  let validator = compiled.get(schema)
  if (validator === undefined) {
    validator = Compile(schema)
    compiled.set(schema, validator)
  }
  if (validator.Check(value)) return []
  const errors = [...validator.Errors(value)].map((e) => `${e.instancePath}: ${e.message}`)
  return errors.length > 0 ? errors : ['does not validate']
}

export function expectSchema(schema: TSchema, value: unknown, what = 'body'): void {
  expect(schemaErrors(schema, value), `${what}: ${JSON.stringify(value)}`).toEqual([])
}

/**
 * The contract's error reply (§5): this status and code, a JSON content type, a body that
 * validates against ErrorBody (so no field but error, code, details, request_id: no `message`),
 * and the request id of the x-request-id header.
 */
export function expectError(reply: Reply, status: number, code: string): ErrorBody {
  const body = reply.body
  expect({ status: reply.status, code: body?.code }, reply.text.slice(0, 500)).toEqual({ status, code })
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/)
  expectSchema(ErrorBody, body, 'error body')
  expect(body).not.toHaveProperty('message')
  expect(typeof body.error).toBe('string')
  expect(reply.headers.get('x-request-id')).toBeTruthy()
  expect(body.request_id).toBe(reply.headers.get('x-request-id'))
  return body as ErrorBody
}

/** RateLimit-Limit, -Remaining and -Reset, each a whole number (contract §6). */
export function expectRateLimitHeaders(reply: Reply): { limit: number; remaining: number; reset: number } {
  const [limit = NaN, remaining = NaN, reset = NaN] = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'].map((name) => {
    const value = reply.headers.get(name)
    expect(value, `${name} header`).toMatch(/^\d+$/)
    return Number(value)
  })
  expect(remaining).toBeLessThanOrEqual(limit)
  return { limit, remaining, reset }
}

/** A `{ "workflow": … }` reply with this status whose record validates against Workflow. */
export function expectWorkflow(reply: Reply, status = 200): Workflow {
  expect(reply.status, reply.text.slice(0, 500)).toBe(status)
  expect(Object.keys(reply.body)).toEqual(['workflow'])
  expectSchema(Workflow, reply.body.workflow, 'workflow')
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/)
  return reply.body.workflow as Workflow
}

/** The error's detail paths. */
export const paths = (error: ErrorBody) => (error.details ?? []).map((d) => d.path)

export type { Json }
