/**
 * Service endpoints without a key (contract §4): /health and /openapi.json; and x-request-id on
 * every response (§5).
 */
import { ErrorBody, Workflow, WorkflowSummary, WorkflowVersion } from '@wf/core'
import { describe, expect, it } from 'vitest'
import { type Json, api, expectStatus, newOrg } from './client.js'
import { expectError } from './expect.js'

describe('GET /health', () => {
  it('is 200 {"status":"ok"} without a key, with a generated x-request-id', async () => {
    const reply = await api('GET', '/health')
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({ status: 'ok' })
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/)
    expect(reply.headers.get('x-request-id')).toMatch(/^req_/)
  })
})

describe('GET /openapi.json', () => {
  const doc = async (): Promise<Json> => expectStatus(api('GET', '/openapi.json'), 200)

  it('is an OpenAPI 3.1 document, served without a key', async () => {
    const openapi = await doc()
    expect(openapi.openapi).toMatch(/^3\.1\.\d+$/)
    expect(openapi.info).toMatchObject({ title: expect.any(String), version: expect.any(String) })
    expect(openapi.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'x-api-key' })
  })

  it('lists every /v1 route of the contract with its methods', async () => {
    const { paths } = await doc()
    const methods = (path: string) => Object.keys(paths[path] ?? {}).sort()
    expect(methods('/v1/workflows')).toEqual(expect.arrayContaining(['get', 'post']))
    expect(methods('/v1/workflows/{id}')).toEqual(expect.arrayContaining(['delete', 'get', 'patch']))
    expect(methods('/v1/workflows/{id}/steps/{step_id}/config')).toEqual(expect.arrayContaining(['patch']))
    expect(methods('/v1/workflows/{id}/versions')).toEqual(expect.arrayContaining(['get']))
    expect(methods('/v1/workflows/{id}/versions/{n}')).toEqual(expect.arrayContaining(['get']))
  })

  it("takes its components from core's schemas", async () => {
    const { components } = await doc()
    for (const [name, schema] of Object.entries({ Workflow, WorkflowSummary, WorkflowVersion, ErrorBody })) {
      expect(components.schemas[name]?.required, name).toEqual(schema.required)
      expect(Object.keys(components.schemas[name]?.properties ?? {}), name).toEqual(Object.keys(schema.properties))
    }
  })

  it('is the same document on every request', async () => {
    const [a, b] = await Promise.all([api('GET', '/openapi.json'), api('GET', '/openapi.json')])
    expect(a.text).toBe(b.text)
  })
})

describe('x-request-id (§5)', () => {
  it('echoes a sane one, on success and on error, and the error body carries it', async () => {
    const ok = await api('GET', '/health', { headers: { 'x-request-id': 'client-abc_123=' } })
    expect(ok.headers.get('x-request-id')).toBe('client-abc_123=')
    const failed = await api('GET', '/v1/workflows', { headers: { 'x-request-id': 'client-def_456' } })
    expect(failed.headers.get('x-request-id')).toBe('client-def_456')
    expect(expectError(failed, 401, 'unauthorized').request_id).toBe('client-def_456')
  })

  it('replaces an unsafe or overlong one with a generated id', async () => {
    const org = await newOrg()
    for (const value of ['has spaces; and <html>', 'a'.repeat(256)]) {
      const reply = await api('GET', '/v1/workflows', { key: org.live, headers: { 'x-request-id': value } })
      expect(reply.status).toBe(200)
      expect(reply.headers.get('x-request-id')).toMatch(/^req_/)
    }
  })

  it('generates a different one for every request', async () => {
    const ids = await Promise.all([1, 2, 3].map(async () => (await api('GET', '/health')).headers.get('x-request-id')))
    expect(new Set(ids).size).toBe(3)
  })
})
