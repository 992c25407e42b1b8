/**
 * Small helpers shared by the route tests: reading bodies, the checks every error response must
 * pass (contract §5), the rate-limit headers (§6), and a few fixtures.
 */
import { ErrorBody, type Workflow } from '@wf/core'
import type { Hono } from 'hono'
import { expect } from 'vitest'
import { createApp } from '../app.js'
import type { AppEnv, Deps } from '../env.js'
import { FIVE_STEPS, type TestApi } from './harness.js'
import { expectSchema } from './schemas.js'

// Route tests read arbitrary JSON; the schema checks are what type it.
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

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** A well-formed key that no organisation has: the prefix and 43 random base64url characters. */
export function randomKey(mode: 'live' | 'sandbox' = 'live'): string {
  const random = crypto.getRandomValues(new Uint8Array(43))
  return `wf_${mode}_${Array.from(random, (b) => BASE64URL[b % 64]).join('')}`
}

/** A well-formed workflow id that does not exist. */
export const UNKNOWN_WORKFLOW_ID = 'wf_01KZZZZZZZZZZZZZZZZZZZZZZZ'

const apps = new WeakMap<Deps, Hono<AppEnv>>()

/**
 * A request the harness cannot make (no content type, a binary body, a raw header set): sent to
 * an app over the same dependencies (same database, clock and rate limiter).
 */
export async function rawRequest(t: TestApi, path: string, init: RequestInit): Promise<Response> {
  let app = apps.get(t.deps)
  if (app === undefined) {
    app = createApp(t.deps)
    apps.set(t.deps, app)
  }
  return app.request(path, init)
}

/** `value` as JSON, padded with trailing spaces to exactly `bytes` bytes (still valid JSON). */
export function jsonOfSize(value: unknown, bytes: number): string {
  const text = JSON.stringify(value)
  const size = new TextEncoder().encode(text).length
  if (size > bytes) throw new Error(`JSON is already ${size} bytes`)
  return text + ' '.repeat(bytes - size)
}
