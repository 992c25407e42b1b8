/**
 * Routing errors and the error body (contract §5, §8): unknown routes (404 with a key, 401 without),
 * wrong methods (405 with Allow), and the shape every error body has, whatever the route.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { api, BASE_URL, newOrg, type Org } from './client.js'
import { expectError, expectRateLimitHeaders } from './expect.js'
import { createWorkflow } from './fixtures.js'

let org: Org
let id: string
beforeAll(async () => {
  org = await newOrg()
  id = (await createWorkflow(org.live)).id
})

const UNKNOWN_ROUTES = [
  '/v1/nope',
  '/v1/workflows/x/y',
  '/v1/workflows/x/steps/FACE_LIVENESS',
  '/v1/workflowz',
  '/v1/workflows/x/versions/1/y',
]

describe('unknown routes', () => {
  it.each(UNKNOWN_ROUTES)('GET %s with a key is 404 not_found, with RateLimit-* headers', async (path) => {
    const reply = await api('GET', path, { key: org.live })
    expectError(reply, 404, 'not_found')
    expectRateLimitHeaders(reply)
  })

  it.each(UNKNOWN_ROUTES)('GET %s without a key is 401 (the key is checked first)', async (path) => {
    expectError(await api('GET', path), 401, 'unauthorized')
  })

  it.each(['/', '/nope', '/v2/workflows', '/health/x'])('GET %s outside /v1 is 404 not_found', async (path) => {
    expectError(await api('GET', path), 404, 'not_found')
  })

  it('a write with a sandbox key to an unknown route is 404, not 403', async () => {
    expectError(await api('POST', '/v1/nope', { key: org.sandbox, body: {} }), 404, 'not_found')
  })
})

describe('405 method_not_allowed with Allow', () => {
  it.each([
    ['PUT', '/v1/workflows/:id', ['GET', 'PATCH', 'DELETE']],
    ['POST', '/v1/workflows/:id', ['GET', 'PATCH', 'DELETE']],
    ['PUT', '/v1/workflows', ['GET', 'POST']],
    ['DELETE', '/v1/workflows', ['GET', 'POST']],
    ['PATCH', '/v1/workflows', ['GET', 'POST']],
    ['GET', '/v1/workflows/:id/steps/FACE_LIVENESS/config', ['PATCH']],
    ['POST', '/v1/workflows/:id/versions', ['GET']],
    ['DELETE', '/v1/workflows/:id/versions/1', ['GET']],
  ] as const)('%s %s is 405 with Allow, also for a sandbox key', async (method, route, allowed) => {
    const path = route.replace(':id', id)
    for (const key of [org.live, org.sandbox]) {
      const reply = await api(method, path, { key, body: method === 'GET' || method === 'DELETE' ? undefined : {} })
      expectError(reply, 405, 'method_not_allowed')
      const allow = (reply.headers.get('allow') ?? '').split(',').map((m) => m.trim())
      expect(allow).toEqual(expect.arrayContaining([...allowed]))
      expect(allow).not.toContain(method)
      expectRateLimitHeaders(reply)
    }
  })

  it('PUT on a workflow without a key is 401 (the key is checked first)', async () => {
    expectError(await api('PUT', `/v1/workflows/${id}`, { body: {} }), 401, 'unauthorized')
  })

  it('OPTIONS is 405 (no CORS: docs/api-notes.md)', async () => {
    expectError(await api('OPTIONS', '/v1/workflows', { key: org.live }), 405, 'method_not_allowed')
  })

  it('HEAD on a GET route answers like GET, without a body', async () => {
    const head = await fetch(`${BASE_URL}/v1/workflows/${id}`, { method: 'HEAD', headers: { 'x-api-key': org.live } })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })
})

describe('error bodies', () => {
  it('never have a top-level message, and always error, code and request_id', async () => {
    const replies = await Promise.all([
      api('GET', '/v1/workflows'),
      api('GET', '/v1/nope', { key: org.live }),
      api('PUT', '/v1/workflows', { key: org.live, body: {} }),
      api('POST', '/v1/workflows', { key: org.sandbox, body: {} }),
      api('POST', '/v1/workflows', { key: org.live, body: '{' }),
      api('POST', '/v1/workflows', { key: org.live, body: {} }),
      api('POST', '/v1/workflows', { key: org.live, body: 'x', headers: { 'content-type': 'text/plain' } }),
      api('GET', '/v1/workflows?limit=0', { key: org.live }),
    ])
    const expected = [401, 404, 405, 403, 400, 400, 415, 400]
    expect(replies.map((r) => r.status)).toEqual(expected)
    for (const reply of replies) {
      expect(reply.body).not.toHaveProperty('message')
      expect(Object.keys(reply.body)).toEqual(expect.arrayContaining(['error', 'code', 'request_id']))
      expect(typeof reply.body.error).toBe('string')
      expect(reply.body.error.length).toBeGreaterThan(0)
    }
  })
})
