/**
 * /admin/v1 (contract §3, §4 "Admin"): organisations and keys behind `Authorization: Bearer
 * <WF_ADMIN_TOKEN>`; without WF_ADMIN_TOKEN the endpoints do not exist (404). The listing of an
 * organisation's keys is an extension (docs/api-notes.md). Secrets appear once, and never in logs.
 */
import { ApiKey, Organization } from '@wf/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { ADMIN_TOKEN, FIVE_STEPS, createTestApi, type TestApi } from '../test-support/harness.js'
import { type Json, expectError, jsonOfSize, readJson } from '../test-support/helpers.js'
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

/** Every admin route, with a valid request given an organisation and a key to act on. */
const ADMIN_ROUTES = [
  { method: 'POST', route: '/admin/v1/organizations', path: () => '/admin/v1/organizations', body: { name: 'New' } },
  {
    method: 'POST',
    route: '/admin/v1/organizations/:id/api-keys',
    path: (orgId: string) => `/admin/v1/organizations/${orgId}/api-keys`,
    body: { mode: 'live' },
  },
  { method: 'GET', route: '/admin/v1/organizations/:id/api-keys', path: (orgId: string) => `/admin/v1/organizations/${orgId}/api-keys` },
  { method: 'DELETE', route: '/admin/v1/api-keys/:id', path: (_: string, keyId: string) => `/admin/v1/api-keys/${keyId}` },
] as const

it('ADMIN_ROUTES lists exactly the admin routes the app registers', () => {
  const registered = new Set(
    createApp(t.deps)
      .routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/admin/'))
      .map((r) => `${r.method} ${r.path}`),
  )
  expect(new Set(ADMIN_ROUTES.map((r) => `${r.method} ${r.route}`))).toEqual(registered)
})

// ---------------------------------------------------------------------------------------------
describe('admin authentication (§3)', () => {
  describe.each(ADMIN_ROUTES)('$method $route', ({ method, path, ...rest }) => {
    const body = 'body' in rest ? rest.body : undefined
    const target = async () => {
      const org = await createOrg()
      const key = await createKey(org.id)
      return path(org.id, key.api_key.id)
    }

    it('works with the admin token', async () => {
      const res = await adminRequest(method, await target(), body)
      expect(res.status, await res.clone().text()).toBe(method === 'POST' ? 201 : 200)
      expect(res.headers.get('x-request-id')).toBeTruthy()
    })

    it.each<[string, Record<string, string>]>([
      ['no Authorization header', {}],
      ['a wrong token', { authorization: 'Bearer wrong-token' }],
      ['the token with a suffix', { authorization: `Bearer ${ADMIN_TOKEN}x` }],
      ['a prefix of the token', { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` }],
      ['an empty bearer', { authorization: 'Bearer ' }],
      ['the token without the scheme', { authorization: ADMIN_TOKEN }],
      ['another scheme', { authorization: `Basic ${ADMIN_TOKEN}` }],
      ['the token as an x-api-key', { 'x-api-key': ADMIN_TOKEN }],
    ])('is 401 unauthorized with %s', async (_, headers) => {
      await expectError(await adminRequest(method, await target(), body, headers), 401, 'unauthorized')
    })

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

  it('with the token, an unknown admin route is 404 and a wrong method is 405 with Allow', async () => {
    await expectError(await adminRequest('GET', '/admin/v1/nothing'), 404, 'not_found')
    const res = await adminRequest('PUT', '/admin/v1/organizations', { name: 'x' })
    await expectError(res, 405, 'method_not_allowed')
    expect(res.headers.get('allow')).toContain('POST')
  })
})

// ---------------------------------------------------------------------------------------------
describe('POST /admin/v1/organizations (§4 Admin)', () => {
  it('is 201 with the organisation, name trimmed', async () => {
    const res = await adminRequest('POST', '/admin/v1/organizations', { name: '  Acme Ltd  ' })
    const body = await readJson(res)
    expect(res.status).toBe(201)
    expect(Object.keys(body)).toEqual(['organization'])
    expectSchema(Organization, body.organization, 'organization')
    expect(body.organization).toEqual({ id: expect.stringMatching(/^org_/), name: 'Acme Ltd', created_at: START })
  })

  it.each<[string, unknown, string]>([
    ['no name', {}, '/name'],
    ['an empty name', { name: '' }, '/name'],
    ['a white-space name', { name: ' \n ' }, '/name'],
    ['a name of 256 characters', { name: 'n'.repeat(256) }, '/name'],
    ['a number', { name: 5 }, '/name'],
    ['an unknown property', { name: 'Acme', id: 'org_mine' }, '/id'],
    ['an array', [], ''],
    ['null', null, ''],
  ])('is 400 invalid_request for %s', async (_, body, path) => {
    const error = await expectError(await adminRequest('POST', '/admin/v1/organizations', body), 400, 'invalid_request')
    expect(error.details?.map((d) => d.path)).toContain(path)
    expect(error.error).toMatch(/^Invalid request: /)
  })

  it('accepts a name of 255 characters', async () => {
    expect((await createOrg('n'.repeat(255))).name).toHaveLength(255)
  })

  it('is 400 invalid_json for malformed JSON or no body, 415 for non-JSON, 413 over 64 KiB', async () => {
    await expectError(await adminRequest('POST', '/admin/v1/organizations', '{"name":'), 400, 'invalid_json')
    await expectError(await t.request('POST', '/admin/v1/organizations', { headers: BEARER }), 400, 'invalid_json')
    await expectError(
      await adminRequest('POST', '/admin/v1/organizations', '{"name":"x"}', { ...BEARER, 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type',
    )
    await expectError(await adminRequest('POST', '/admin/v1/organizations', jsonOfSize({ name: 'x' }, 65537)), 413, 'payload_too_large')
    expect((await adminRequest('POST', '/admin/v1/organizations', jsonOfSize({ name: 'x' }, 65536))).status).toBe(201)
  })
})

// ---------------------------------------------------------------------------------------------
describe('POST /admin/v1/organizations/:id/api-keys (§3, §4 Admin)', () => {
  it.each([
    ['live', /^wf_live_[A-Za-z0-9_-]{43}$/],
    ['sandbox', /^wf_sandbox_[A-Za-z0-9_-]{43}$/],
  ] as const)('is 201 with a %s key and its secret, shown once', async (mode, pattern) => {
    const org = await createOrg()
    const res = await adminRequest('POST', `/admin/v1/organizations/${org.id}/api-keys`, { mode, name: ' CI ' })
    const body = await readJson(res)
    expect(res.status).toBe(201)
    expect(Object.keys(body).sort()).toEqual(['api_key', 'secret'])
    expect(body.secret).toMatch(pattern)
    expectSchema(ApiKey, body.api_key, 'api_key')
    expect(body.api_key).toEqual({
      id: expect.stringMatching(/^key_/),
      organization_id: org.id,
      mode,
      name: 'CI',
      prefix: expect.any(String),
      created_at: START,
      revoked_at: null,
    })
    // The prefix tells keys apart and names the mode, but is far from the whole secret.
    expect(body.secret.startsWith(body.api_key.prefix)).toBe(true)
    expect(body.api_key.prefix).toMatch(new RegExp(`^wf_${mode}_`))
    expect(body.api_key.prefix.length).toBeLessThan(body.secret.length - 20)
  })

  it('gives a key without a name the name null, and makes a different secret every time', async () => {
    const org = await createOrg()
    const a = await createKey(org.id, { mode: 'live' })
    const b = await createKey(org.id, { mode: 'live' })
    expect(a.api_key.name).toBeNull()
    expect(a.secret).not.toBe(b.secret)
    expect(a.api_key.id).not.toBe(b.api_key.id)
  })

  // §3: the secret works at once; a live key writes, a sandbox key only reads.
  it('makes a secret usable on /v1 at once', async () => {
    const org = await createOrg()
    const live = await createKey(org.id, { mode: 'live' })
    const sandbox = await createKey(org.id, { mode: 'sandbox' })
    const created = await t.request('POST', '/v1/workflows', { key: live.secret, body: FIVE_STEPS })
    expect(created.status).toBe(201)
    const workflow = (await readJson(created)).workflow
    expect(workflow.created_by).toBe(live.api_key.id)
    expect(workflow.organization_id).toBe(org.id)
    const listed = await readJson(await t.request('GET', '/v1/workflows', { key: sandbox.secret }))
    expect(listed.workflows.map((w: Json) => w.id)).toEqual([workflow.id])
    await expectError(await t.request('POST', '/v1/workflows', { key: sandbox.secret, body: FIVE_STEPS }), 403, 'sandbox_key')
  })

  it('is 404 not_found for an unknown organisation', async () => {
    await expectError(
      await adminRequest('POST', '/admin/v1/organizations/org_01KC0000000000000000000000/api-keys', { mode: 'live' }),
      404,
      'not_found',
    )
  })

  it.each<[string, unknown, string]>([
    ['no mode', {}, '/mode'],
    ['an unknown mode', { mode: 'test' }, '/mode'],
    ['a mode in the wrong case', { mode: 'LIVE' }, '/mode'],
    ['an empty name', { mode: 'live', name: '' }, '/name'],
    ['a name that is not a string', { mode: 'live', name: 7 }, '/name'],
    ['an unknown property', { mode: 'live', secret: 'wf_live_mine' }, '/secret'],
    ['an array', [{ mode: 'live' }], ''],
  ])('is 400 invalid_request for %s', async (_, body, path) => {
    const org = await createOrg()
    const error = await expectError(await adminRequest('POST', `/admin/v1/organizations/${org.id}/api-keys`, body), 400, 'invalid_request')
    expect(error.details?.map((d) => d.path)).toContain(path)
  })
})

// ---------------------------------------------------------------------------------------------
describe('GET /admin/v1/organizations/:id/api-keys (extension)', () => {
  it('lists the keys, revoked ones included, without any secret', async () => {
    const org = await createOrg()
    const other = await createOrg('Other')
    const a = await createKey(org.id, { mode: 'live', name: 'A' })
    const b = await createKey(org.id, { mode: 'sandbox' })
    const foreign = await createKey(other.id, { mode: 'live' })
    await adminRequest('DELETE', `/admin/v1/api-keys/${b.api_key.id}`)

    const res = await adminRequest('GET', `/admin/v1/organizations/${org.id}/api-keys`)
    const text = await res.text()
    expect(res.status).toBe(200)
    const body = JSON.parse(text)
    expect(Object.keys(body)).toEqual(['api_keys'])
    for (const key of body.api_keys) expectSchema(ApiKey, key, 'api_key')
    expect(body.api_keys.map((k: Json) => k.id).sort()).toEqual([a.api_key.id, b.api_key.id].sort())
    expect(body.api_keys.find((k: Json) => k.id === b.api_key.id).revoked_at).toBe(START)
    for (const secret of [a.secret, b.secret, foreign.secret]) expect(text).not.toContain(secret)
    expect(text).not.toContain('secret')
    expect(text).not.toContain('hash')
  })

  it('is 404 not_found for an unknown organisation', async () => {
    await expectError(await adminRequest('GET', '/admin/v1/organizations/org_01KC0000000000000000000000/api-keys'), 404, 'not_found')
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

  it('leaves the other keys working', async () => {
    const org = await createOrg()
    const [a, b] = [await createKey(org.id), await createKey(org.id)]
    await adminRequest('DELETE', `/admin/v1/api-keys/${a.api_key.id}`)
    expect((await t.request('GET', '/v1/workflows', { key: b.secret })).status).toBe(200)
  })

  it('is 404 not_found for an unknown key', async () => {
    await expectError(await adminRequest('DELETE', '/admin/v1/api-keys/key_01KC0000000000000000000000'), 404, 'not_found')
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
