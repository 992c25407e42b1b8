/**
 * The admin endpoints (contract §3, §4 "Admin"), which the suite itself stands on: organizations and
 * keys behind `Authorization: Bearer <WF_ADMIN_TOKEN>`; the secret appears once; a revoked key
 * stops working at once.
 */
import { ApiKey, Organization } from '@wf/core'
import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, admin, adminHeaders, api, expectStatus, type Json, newKey, newOrg } from './client.js'
import { expectError, expectSchema, paths } from './expect.js'
import { FIVE_STEPS, ISO_MS, jsonOfSize } from './fixtures.js'
import { fill, operations, sampleBody } from './operations.js'

/** Every admin route of the API's own document, with a valid request given an organization and a key to act on. */
const ADMIN_SAMPLES = { CreateOrganizationRequest: { name: 'New' }, CreateApiKeyRequest: { mode: 'live' } }
const ADMIN_ROUTES = operations('/admin/').map((op) => ({
  method: op.method,
  route: op.route,
  // {id} is the organization's under /organizations, the key's under /api-keys.
  path: (orgId: string, keyId: string) => fill(op.route, { id: op.route.startsWith('/admin/v1/api-keys/') ? keyId : orgId }),
  ...(op.body === undefined ? {} : { body: sampleBody(op, ADMIN_SAMPLES) }),
  status: op.status,
}))

it('walks every admin operation of the document', () => {
  expect(ADMIN_ROUTES.length).toBeGreaterThanOrEqual(4)
})

/** A new organization's live key, in full: `{ api_key, secret }`. */
const createKey = async (orgId: string, body: unknown = { mode: 'live' }): Promise<{ api_key: Json; secret: string }> =>
  expectStatus(admin('POST', `/admin/v1/organizations/${orgId}/api-keys`, body), 201)

describe('POST /admin/v1/organizations', () => {
  it('is 201 with the organization, its name trimmed', async () => {
    const reply = await admin('POST', '/admin/v1/organizations', { name: '  Acme Ltd ' })
    const { organization } = await expectStatus(reply, 201)
    expectSchema(Organization, organization, 'organization')
    expect(Object.keys(reply.body)).toEqual(['organization'])
    expect(organization).toEqual({ id: expect.stringMatching(/^org_/), name: 'Acme Ltd', created_at: expect.stringMatching(ISO_MS) })
  })

  it.each<[string, unknown, string]>([
    ['no name', {}, '/name'],
    ['an empty name', { name: '' }, '/name'],
    ['a white-space name', { name: ' \n ' }, '/name'],
    ['a name of 256 characters', { name: 'n'.repeat(256) }, '/name'],
    ['a number', { name: 5 }, '/name'],
    ['an unknown property', { name: 'Acme', id: 'org_mine' }, '/id'],
    ['another unknown property', { name: 'x', plan: 'pro' }, '/plan'],
    ['an array', [], ''],
    ['null', null, ''],
  ])('is 400 invalid_request for %s', async (_, body, path) => {
    const error = expectError(await admin('POST', '/admin/v1/organizations', body), 400, 'invalid_request')
    expect(paths(error)).toContain(path)
    expect(error.error).toMatch(/^Invalid request: /)
  })

  it('accepts a name of 255 characters', async () => {
    const { organization } = await expectStatus(admin('POST', '/admin/v1/organizations', { name: 'n'.repeat(255) }), 201)
    expect(organization.name).toHaveLength(255)
  })

  it('is 400 invalid_json for malformed JSON or no body, 415 for non-JSON, 413 over 64 KiB', async () => {
    expectError(await admin('POST', '/admin/v1/organizations', '{"name":'), 400, 'invalid_json')
    expectError(await api('POST', '/admin/v1/organizations', { headers: adminHeaders() }), 400, 'invalid_json')
    expectError(
      await admin('POST', '/admin/v1/organizations', '{"name":"x"}', { ...adminHeaders(), 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type',
    )
    expectError(await admin('POST', '/admin/v1/organizations', jsonOfSize({ name: 'x' }, 65537)), 413, 'payload_too_large')
    expect((await admin('POST', '/admin/v1/organizations', jsonOfSize({ name: 'x' }, 65536))).status).toBe(201)
  })
})

describe('POST /admin/v1/organizations/{id}/api-keys', () => {
  it.each(['live', 'sandbox'] as const)('is 201 with a %s key and its secret, shown this once', async (mode) => {
    const org = await newOrg()
    const body = await expectStatus(admin('POST', `/admin/v1/organizations/${org.id}/api-keys`, { mode, name: ' CI ' }), 201)
    expect(Object.keys(body).sort()).toEqual(['api_key', 'secret'])
    expectSchema(ApiKey, body.api_key, 'api_key')
    expect(body.api_key).toEqual({
      id: expect.stringMatching(/^key_/),
      organization_id: org.id,
      mode,
      name: 'CI',
      prefix: expect.any(String),
      created_at: expect.stringMatching(ISO_MS),
      revoked_at: null,
    })
    expect(body.secret).toMatch(new RegExp(`^wf_${mode}_[A-Za-z0-9_-]{43}$`))
    // The prefix tells keys apart and names the mode, but is far from the whole secret.
    expect(body.secret.startsWith(body.api_key.prefix)).toBe(true)
    expect(body.api_key.prefix).toMatch(new RegExp(`^wf_${mode}_`))
    expect(body.api_key.prefix.length).toBeLessThan(body.secret.length - 20)
    // The secret is never shown again.
    const listed = await api('GET', `/admin/v1/organizations/${org.id}/api-keys`, { headers: adminHeaders() })
    expect(listed.text).not.toContain(body.secret)
  })

  it('makes a different secret every time, usable on /v1 at once', async () => {
    const org = await newOrg()
    expect(org.live).not.toBe(org.sandbox)
    expect((await api('POST', '/v1/workflows', { key: org.live, body: FIVE_STEPS })).status).toBe(201)
  })

  it('gives a key without a name the name null, and makes a different secret and id every time', async () => {
    const org = await newOrg()
    const a = await createKey(org.id, { mode: 'live' })
    const b = await createKey(org.id, { mode: 'live' })
    expect(a.api_key.name).toBeNull()
    expect(a.secret).not.toBe(b.secret)
    expect(a.api_key.id).not.toBe(b.api_key.id)
  })

  it('makes a secret usable on /v1 at once: a live key writes as itself, a sandbox key only reads', async () => {
    const org = await newOrg()
    const live = await createKey(org.id, { mode: 'live' })
    const sandbox = await createKey(org.id, { mode: 'sandbox' })
    const created = await api('POST', '/v1/workflows', { key: live.secret, body: FIVE_STEPS })
    expect(created.status).toBe(201)
    const workflow = created.body.workflow
    expect(workflow.created_by).toBe(live.api_key.id)
    expect(workflow.organization_id).toBe(org.id)
    const listed = await expectStatus(api('GET', '/v1/workflows', { key: sandbox.secret }), 200)
    expect(listed.workflows.map((w: Json) => w.id)).toEqual([workflow.id])
    expectError(await api('POST', '/v1/workflows', { key: sandbox.secret, body: FIVE_STEPS }), 403, 'sandbox_key')
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
    const org = await newOrg()
    const error = expectError(await admin('POST', `/admin/v1/organizations/${org.id}/api-keys`, body), 400, 'invalid_request')
    expect(paths(error)).toContain(path)
  })

  it('is 400 for an unknown mode and 404 for an unknown organization', async () => {
    const org = await newOrg()
    expectError(await admin('POST', `/admin/v1/organizations/${org.id}/api-keys`, { mode: 'test' }), 400, 'invalid_request')
    expectError(await admin('POST', '/admin/v1/organizations/org_01KC0000000000000000000000/api-keys', { mode: 'live' }), 404, 'not_found')
  })
})

describe('GET /admin/v1/organizations/{id}/api-keys (extension)', () => {
  it('lists the keys, revoked ones included, without any secret', async () => {
    const { organization: org } = await expectStatus(admin('POST', '/admin/v1/organizations', { name: 'Listed' }), 201)
    const { organization: other } = await expectStatus(admin('POST', '/admin/v1/organizations', { name: 'Other' }), 201)
    const a = await createKey(org.id, { mode: 'live', name: 'A' })
    const b = await createKey(org.id, { mode: 'sandbox' })
    const foreign = await createKey(other.id, { mode: 'live' })
    await expectStatus(admin('DELETE', `/admin/v1/api-keys/${b.api_key.id}`), 200)

    const reply = await admin('GET', `/admin/v1/organizations/${org.id}/api-keys`)
    expect(reply.status).toBe(200)
    expect(Object.keys(reply.body)).toEqual(['api_keys'])
    for (const key of reply.body.api_keys) expectSchema(ApiKey, key, 'api_key')
    expect(reply.body.api_keys.map((k: Json) => k.id).sort()).toEqual([a.api_key.id, b.api_key.id].sort())
    expect(reply.body.api_keys.find((k: Json) => k.id === b.api_key.id).revoked_at).toMatch(ISO_MS)
    for (const secret of [a.secret, b.secret, foreign.secret]) expect(reply.text).not.toContain(secret)
    expect(reply.text).not.toContain('secret')
    expect(reply.text).not.toContain('hash')
  })

  it('is 404 not_found for an unknown organization', async () => {
    expectError(await admin('GET', '/admin/v1/organizations/org_01KC0000000000000000000000/api-keys'), 404, 'not_found')
  })
})

describe('DELETE /admin/v1/api-keys/{id}', () => {
  it('is 200 with revoked_at; the key stops working at once and the others keep working', async () => {
    const org = await newOrg()
    const { api_key } = await expectStatus(admin('DELETE', `/admin/v1/api-keys/${org.liveKeyId}`), 200)
    expectSchema(ApiKey, api_key, 'api_key')
    expect(api_key).toMatchObject({ id: org.liveKeyId, revoked_at: expect.stringMatching(ISO_MS) })
    expectError(await api('GET', '/v1/workflows', { key: org.live }), 401, 'unauthorized')
    expectError(await api('POST', '/v1/workflows', { key: org.live, body: FIVE_STEPS }), 401, 'unauthorized')
    expect((await api('GET', '/v1/workflows', { key: org.sandbox })).status).toBe(200)
  })

  it('is 404 for an unknown key', async () => {
    expectError(await admin('DELETE', '/admin/v1/api-keys/key_01KC0000000000000000000000'), 404, 'not_found')
  })
})

describe.each(ADMIN_ROUTES)('admin authentication: $method $route', ({ method, path, ...rest }) => {
  const body = 'body' in rest ? rest.body : undefined
  const target = async () => {
    const org = await newOrg()
    const key = await newKey(org.id)
    return path(org.id, key.id)
  }

  it('works with the admin token', async () => {
    const reply = await admin(method, await target(), body)
    expect(reply.status, reply.text).toBe(rest.status)
    expect(reply.headers.get('x-request-id')).toBeTruthy()
  })

  it.each<[string, () => Record<string, string>]>([
    ['no Authorization header', () => ({})],
    ['a wrong token', () => ({ authorization: 'Bearer not-the-token' })],
    ['the token with a suffix', () => ({ authorization: `Bearer ${ADMIN_TOKEN}x` })],
    ['a prefix of the token', () => ({ authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` })],
    ['an empty bearer', () => ({ authorization: 'Bearer ' })],
    ['the token without the scheme', () => ({ authorization: ADMIN_TOKEN })],
    ['another word without Bearer', () => ({ authorization: 'conformance' })],
    ['another scheme', () => ({ authorization: `Basic ${ADMIN_TOKEN}` })],
    ['the token as an x-api-key', () => ({ 'x-api-key': ADMIN_TOKEN })],
    ['an API key instead', () => ({ 'x-api-key': `wf_live_${'a'.repeat(43)}` })],
  ])('is 401 unauthorized with %s', async (_, headers) => {
    expectError(await admin(method, await target(), body, headers()), 401, 'unauthorized')
  })
})

describe('admin routing', () => {
  it('with the token, an unknown admin route is 404 and a wrong method is 405 with Allow', async () => {
    expectError(await admin('GET', '/admin/v1/nothing'), 404, 'not_found')
    const reply = await admin('PUT', '/admin/v1/organizations', { name: 'x' })
    expectError(reply, 405, 'method_not_allowed')
    expect(reply.headers.get('allow')).toContain('POST')
  })
})
