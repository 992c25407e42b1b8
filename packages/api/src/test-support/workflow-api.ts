/**
 * Shared setup for the /v1/workflows route tests (routes/workflows/*.test.ts): path builders and
 * `useWorkflowApi()`, which gives each
 * test a fresh app over an in-memory store and an organization, with request helpers bound to them.
 */
import { Workflow } from '@wf/core'
import { afterEach, beforeEach, expect } from 'vitest'
import { createTestApi, type TestApi, type TestOrg } from './harness.js'
import { type Json, readJson } from './helpers.js'
import { expectSchema } from './schemas.js'

export const workflowPath = (id: string) => `/v1/workflows/${id}`
export const stepConfigPath = (id: string, step = 'ID_VERIFICATION') => `/v1/workflows/${id}/steps/${step}/config`
export const START = '2026-11-26T09:00:00.000Z' // the harness clock's start

/** A 200 with a workflow body that validates against core's Workflow schema. */
export const expectWorkflow = async (res: Response, status = 200): Promise<Workflow> => {
  const body = await readJson(res)
  expect(res.status, JSON.stringify(body)).toBe(status)
  expectSchema(Workflow, body.workflow, 'workflow')
  expect(Object.keys(body)).toEqual(['workflow'])
  return body.workflow as Workflow
}

export interface WorkflowApi {
  /** The current test's app; replaced before each test. */
  readonly t: TestApi
  /** The current test's organization (name 'Acme'), with a live and a sandbox key. */
  readonly org: TestOrg
  post(body: unknown, headers?: Record<string, string>, key?: string): Promise<Response>
  patch(id: string, body: unknown, headers?: Record<string, string>): Promise<Response>
  patchConfig(id: string, step: string, body: unknown, headers?: Record<string, string>): Promise<Response>
  del(id: string, headers?: Record<string, string>): Promise<Response>
  /** GET /v1/workflows with the query, expecting 200: the body. */
  list(query?: string, key?: string): Promise<Json>
  /** GET /v1/workflows/:id/versions, expecting 200: the versions. */
  versionsOf(id: string): Promise<Json[]>
}

/**
 * Registers beforeEach/afterEach in the calling test file: before each test a fresh app and a new
 * organization, closed after it. The returned helpers always use the current test's app and
 * organization, so they may be destructured at module level; read `t` and `org` through the object.
 */
export function useWorkflowApi(): WorkflowApi {
  let t: TestApi | undefined
  let org: TestOrg | undefined
  beforeEach(async () => {
    t = createTestApi()
    org = await t.newOrg()
  })
  afterEach(() => {
    t?.close()
    t = undefined
    org = undefined
  })

  const api: WorkflowApi = {
    get t() {
      if (t === undefined) throw new Error('useWorkflowApi: `t` read outside a test')
      return t
    },
    get org() {
      if (org === undefined) throw new Error('useWorkflowApi: `org` read outside a test')
      return org
    },
    post: (body, headers = {}, key = api.org.live) => api.t.request('POST', '/v1/workflows', { key, body, headers }),
    patch: (id, body, headers = {}) => api.t.request('PATCH', workflowPath(id), { key: api.org.live, body, headers }),
    patchConfig: (id, step, body, headers = {}) => api.t.request('PATCH', stepConfigPath(id, step), { key: api.org.live, body, headers }),
    del: (id, headers = {}) => api.t.request('DELETE', workflowPath(id), { key: api.org.live, headers }),
    list: async (query = '', key = api.org.live) => {
      const res = await api.t.request('GET', `/v1/workflows${query}`, { key })
      const body = await readJson(res)
      expect(res.status, JSON.stringify(body)).toBe(200)
      return body
    },
    versionsOf: async (id) => {
      const res = await api.t.request('GET', `/v1/workflows/${id}/versions`, { key: api.org.live })
      expect(res.status).toBe(200)
      return (await readJson(res)).versions
    },
  }
  return api
}
