/**
 * Small helpers shared by the route tests: reading bodies, the checks every error response must
 * pass (contract §5), the rate-limit headers (§6), and a few fixtures.
 */
import { ErrorBody, type Workflow } from '@wf/core'
import { expect } from 'vitest'
import { FIVE_STEPS, type TestApi } from './harness.js'
import { expectSchema } from './schemas.js'

// biome-ignore lint/suspicious/noExplicitAny: route tests read arbitrary JSON; the schema checks are what type it
export type Json = any

export async function readJson(res: Response): Promise<Json> {
  const text = await res.text()
  try {
    return JSON.parse(text) as Json
  } catch {
    throw new Error(`expected a JSON body, got ${res.status}: ${text.slice(0, 200)}`)
  }
}

/**
 * The contract's error response (§5): this status and code, JSON content type, a body that
 * validates against core's ErrorBody, no top-level `message`, and the request id of the headers.
 */
export async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  const body = await readJson(res)
  expect({ status: res.status, code: body?.code }, JSON.stringify(body)).toEqual({ status, code })
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  expectSchema(ErrorBody, body, 'error body')
  expect(body).not.toHaveProperty('message')
  expect(res.headers.get('x-request-id')).toBeTruthy()
  expect(body.request_id).toBe(res.headers.get('x-request-id'))
  return body as ErrorBody
}

/** RateLimit-Limit, -Remaining and -Reset, each a whole number (contract §6). */
export function expectRateLimitHeaders(res: Response): { limit: number; remaining: number; reset: number } {
  const values = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'].map((name) => {
    const value = res.headers.get(name)
    expect(value, `${name} header`).toMatch(/^\d+$/)
    return Number(value)
  })
  const [limit = NaN, remaining = NaN, reset = NaN] = values
  return { limit, remaining, reset }
}

/** Creates a workflow with the given key (FIVE_STEPS by default) and returns it. */
export async function createWorkflow(t: TestApi, key: string, body: unknown = FIVE_STEPS): Promise<Workflow> {
  const res = await t.request('POST', '/v1/workflows', { key, body })
  const json = await readJson(res)
  expect(res.status, JSON.stringify(json)).toBe(201)
  return json.workflow as Workflow
}

/** Reads a workflow back with the owner's key. */
export async function getWorkflow(t: TestApi, key: string, id: string): Promise<Workflow> {
  const res = await t.request('GET', `/v1/workflows/${id}`, { key })
  const json = await readJson(res)
  expect(res.status, JSON.stringify(json)).toBe(200)
  return json.workflow as Workflow
}
