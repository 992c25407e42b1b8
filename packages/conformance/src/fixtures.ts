/** Request bodies, their resolved forms, and small workflow helpers shared by the test files. */

import type { Workflow } from '@wf/core'
import { EXAMPLE_CREATE_WORKFLOW } from '@wf/core'
import { beforeAll, beforeEach, expect } from 'vitest'
import { api, type Json, newOrg, type Org, workflowPath } from './client.js'
import { expectWorkflow } from './expect.js'

/** A valid create body: every step, some overrides. */
export const FIVE_STEPS = EXAMPLE_CREATE_WORKFLOW

export { RESOLVED_FIVE_STEPS } from './stored-example.js'

export const SMALL = { name: 'Small', steps: [{ id: 'PEP_SANCTIONS' }] }

export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** A well-formed workflow id that no one has. */
export const UNKNOWN_WORKFLOW_ID = 'wf_01KZZZZZZZZZZZZZZZZZZZZZZZ'

export const SANDBOX_SENTENCE = 'This is a sandbox API key. Use a live API key to create or modify resources.'

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** A well-formed key that no organization has: the prefix and 43 random base64url characters. */
export function randomKey(mode: 'live' | 'sandbox' = 'live'): string {
  const random = crypto.getRandomValues(new Uint8Array(43))
  return `wf_${mode}_${Array.from(random, (b) => BASE64URL[b % 64]).join('')}`
}

/** `value` as JSON, padded with trailing spaces to exactly `bytes` bytes (still valid JSON). */
export function jsonOfSize(value: unknown, bytes: number): string {
  const text = JSON.stringify(value)
  const size = new TextEncoder().encode(text).length
  if (size > bytes) throw new Error(`JSON is already ${size} bytes`)
  return text + ' '.repeat(bytes - size)
}

export async function createWorkflow(key: string, body: unknown = FIVE_STEPS): Promise<Workflow> {
  return expectWorkflow(await api('POST', '/v1/workflows', { key, body }), 201)
}

export async function getWorkflow(key: string, id: string): Promise<Workflow> {
  return expectWorkflow(await api('GET', workflowPath(id), { key }))
}

/** GET /v1/workflows with the query, expecting 200: the body. */
export async function list(key: string, query = ''): Promise<Json> {
  const reply = await api('GET', `/v1/workflows${query}`, { key })
  expect(reply.status, reply.text.slice(0, 500)).toBe(200)
  return reply.body
}

export async function versionsOf(key: string, id: string): Promise<Json[]> {
  const reply = await api('GET', `/v1/workflows/${id}/versions`, { key })
  expect(reply.status, reply.text.slice(0, 500)).toBe(200)
  return reply.body.versions
}

/**
 * One organization per test file and a fresh workflow before each test: registers the hooks in the
 * calling file and returns the holder they fill (read `fresh.org`, `fresh.created` inside tests).
 */
export function useFreshWorkflow(): { org: Org; created: Workflow } {
  const fresh = {} as { org: Org; created: Workflow }
  beforeAll(async () => {
    fresh.org = await newOrg()
  })
  beforeEach(async () => {
    fresh.created = await createWorkflow(fresh.org.live)
  })
  return fresh
}
