/**
 * /admin/v1 (contract §3, §4 "Admin"), what only the app in-process can show: without
 * WF_ADMIN_TOKEN the endpoints do not exist (404); the times the clock stamps on organizations,
 * keys and revocations; and that secrets never reach the logs. The admin contract over HTTP
 * (authentication on every route, validation, keys, listing, revocation) is in
 * packages/conformance/src/admin.test.ts.
 */
import { ApiKey } from '@wf/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { ADMIN_TOKEN, createTestApi, FIVE_STEPS, type TestApi } from '../test-support/harness.js'
import { expectError, type Json, readJson } from '../test-support/helpers.js'
import { expectSchema } from '../test-support/schemas.js'

const START = '2026-11-26T09:00:00.000Z'
const BEARER = { authorization: `Bearer ${ADMIN_TOKEN}` }

let t: TestApi
beforeEach(() => {
  t = createTestApi()
})
afterEach(() => t.close())

const adminRequest = (method: string, path: string, body?: unknown, headers: Record<string, string> = BEARER) =>
  t.request(method, path, { body, headers })

const createOrg = async (name = 'Acme Ltd'): Promise<Json> => {
  const res = await adminRequest('POST', '/admin/v1/organizations', { name })
  const body = await readJson(res)
  expect(res.status, JSON.stringify(body)).toBe(201)
  return body.organization
}

const createKey = async (orgId: string, body: unknown = { mode: 'live' }): Promise<{ api_key: Json; secret: string }> => {
  const res = await adminRequest('POST', `/admin/v1/organizations/${orgId}/api-keys`, body)
  const json = await readJson(res)
  expect(res.status, JSON.stringify(json)).toBe(201)
  return json
}

/** Every admin route the app registers (read off the app, so a new one is covered by itself). */
const ADMIN_ROUTES = (() => {
  const probe = createTestApi()
  const routes = createApp(probe.deps).routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/admin/'))
  probe.close()
  return routes.map(({ method, path: route }) => ({
    method,
    route,
    // {id} is the organization's under /organizations, the key's under /api-keys.
    path: (orgId: string, keyId: string) => route.replace(':id', route.startsWith('/admin/v1/api-keys/') ? keyId : orgId),
    body: method === 'POST' ? { name: 'New', mode: 'live' } : undefined,
  }))
})()

it('finds the admin routes', () => {
  expect(ADMIN_ROUTES.map((r) => `${r.method} ${r.route}`)).toContain('POST /admin/v1/organizations')
})

// ---------------------------------------------------------------------------------------------
describe('without WF_ADMIN_TOKEN (§3)', () => {
  describe.each(ADMIN_ROUTES)('$method $route', ({ method, path, body }) => {
    // §3: when WF_ADMIN_TOKEN is not set the admin endpoints do not exist.
    it('is 404 not_found when WF_ADMIN_TOKEN is not set, with or without a bearer', async () => {
      const bare = createTestApi({ adminToken: undefined })
      try {
        const p = path('org_01KC0000000000000000000000', 'key_01KC0000000000000000000000')
        for (const headers of [{}, BEARER, { authorization: 'Bearer ' }]) {
          await expectError(await bare.request(method, p, { body, headers }), 404, 'not_found')
        }
      } finally {
        bare.close()
      }
    })
  })

  it('without WF_ADMIN_TOKEN every method on an admin path is 404, not 405', async () => {
    const bare = createTestApi({ adminToken: undefined })
    try {
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE', 'POST']) {
        await expectError(await bare.request(method, '/admin/v1/organizations', { headers: BEARER }), 404, 'not_found')
        await expectError(await bare.request(method, '/admin/v1/nothing', { headers: BEARER }), 404, 'not_found')
      }
    } finally {
      bare.close()
    }
  })
})

// ---------------------------------------------------------------------------------------------
describe('timestamps come from the clock (§4 Admin)', () => {
  it('stamps created_at of an organization and of a key with the time of the request', async () => {
    const org = await createOrg()
    expect(org.created_at).toBe(START)
    t.advance(5000)
    const key = await createKey(org.id, { mode: 'live', name: 'CI' })
    expect(key.api_key).toMatchObject({ created_at: '2026-11-26T09:00:05.000Z', revoked_at: null })
  })
})

// ---------------------------------------------------------------------------------------------
describe('DELETE /admin/v1/api-keys/:id — revoke (§4 Admin)', () => {
  it('is 200 with revoked_at, and the key is refused at once', async () => {
    const org = await createOrg()
    const key = await createKey(org.id)
    expect((await t.request('GET', '/v1/workflows', { key: key.secret })).status).toBe(200)
    t.advance(5000)
    const res = await adminRequest('DELETE', `/admin/v1/api-keys/${key.api_key.id}`)
    const body = await readJson(res)
    expect(res.status).toBe(200)
    expectSchema(ApiKey, body.api_key, 'api_key')
    expect(body.api_key).toEqual({ ...key.api_key, revoked_at: '2026-11-26T09:00:05.000Z' })
    await expectError(await t.request('GET', '/v1/workflows', { key: key.secret }), 401, 'unauthorized')
    await expectError(await t.request('POST', '/v1/workflows', { key: key.secret, body: FIVE_STEPS }), 401, 'unauthorized')
  })

  it('keeps the first revoked_at when revoked twice', async () => {
    const org = await createOrg()
    const key = await createKey(org.id)
    const first = await readJson(await adminRequest('DELETE', `/admin/v1/api-keys/${key.api_key.id}`))
    t.advance(60_000)
    const second = await adminRequest('DELETE', `/admin/v1/api-keys/${key.api_key.id}`)
    expect(second.status).toBe(200)
    expect((await readJson(second)).api_key).toEqual(first.api_key)
    expect(first.api_key.revoked_at).toBe(START)
  })
})

// ---------------------------------------------------------------------------------------------
describe('logs (§3: secrets are shown once and stored only as a hash)', () => {
  it('never contain a secret or the admin token', async () => {
    const org = await createOrg()
    const live = await createKey(org.id, { mode: 'live', name: 'Live' })
    const sandbox = await createKey(org.id, { mode: 'sandbox' })
    const harnessOrg = await t.newOrg()
    await t.request('POST', '/v1/workflows', { key: live.secret, body: FIVE_STEPS })
    await t.request('GET', '/v1/workflows', { key: sandbox.secret })
    await t.request('POST', '/v1/workflows', { key: sandbox.secret, body: FIVE_STEPS })
    await t.request('GET', '/v1/workflows', { key: harnessOrg.live })
    await t.request('GET', '/v1/nope', { key: harnessOrg.sandbox })
    await adminRequest('GET', `/admin/v1/organizations/${org.id}/api-keys`)
    await adminRequest('DELETE', `/admin/v1/api-keys/${live.api_key.id}`)
    await t.request('GET', '/v1/workflows', { key: live.secret }) // revoked: 401
    const wrongToken = 'wrong-admin-token-which-must-not-be-logged'
    await adminRequest('GET', `/admin/v1/organizations/${org.id}/api-keys`, undefined, { authorization: `Bearer ${wrongToken}` })

    expect(t.logs.length).toBeGreaterThanOrEqual(10)
    const logged = JSON.stringify(t.logs)
    for (const secret of [live.secret, sandbox.secret, harnessOrg.live, harnessOrg.sandbox, ADMIN_TOKEN, wrongToken]) {
      expect(logged).not.toContain(secret)
    }
    // Nor the part of a secret beyond its visible prefix.
    expect(logged).not.toContain(live.secret.slice(live.api_key.prefix.length))
  })
})
