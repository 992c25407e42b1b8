/**
 * The admin endpoints (contract §3, §4 "Admin"), which the suite itself stands on: organisations and
 * keys behind `Authorization: Bearer <WF_ADMIN_TOKEN>`; the secret appears once; a revoked key
 * stops working at once.
 */
import { ApiKey, Organization } from '@wf/core'
import { describe, expect, it } from 'vitest'
import { admin, adminHeaders, api, expectStatus, newOrg } from './client.js'
import { expectError, expectSchema } from './expect.js'
import { FIVE_STEPS, ISO_MS } from './fixtures.js'

describe('POST /admin/v1/organizations', () => {
  it('is 201 with the organisation, its name trimmed', async () => {
    const reply = await admin('POST', '/admin/v1/organizations', { name: '  Acme Ltd ' })
    const { organization } = await expectStatus(reply, 201)
    expectSchema(Organization, organization, 'organization')
    expect(organization).toEqual({ id: expect.stringMatching(/^org_/), name: 'Acme Ltd', created_at: expect.stringMatching(ISO_MS) })
  })

  it.each<[string, unknown]>([
    ['an empty name', { name: '' }],
    ['no name', {}],
    ['an unknown property', { name: 'x', plan: 'pro' }],
  ])('is 400 invalid_request for %s', async (_, body) => {
    expectError(await admin('POST', '/admin/v1/organizations', body), 400, 'invalid_request')
  })
})

describe('POST /admin/v1/organizations/{id}/api-keys', () => {
  it.each(['live', 'sandbox'] as const)('is 201 with a %s key and its secret, shown this once', async (mode) => {
    const org = await newOrg()
    const body = await expectStatus(admin('POST', `/admin/v1/organizations/${org.id}/api-keys`, { mode, name: 'ci' }), 201)
    expect(Object.keys(body).sort()).toEqual(['api_key', 'secret'])
    expectSchema(ApiKey, body.api_key, 'api_key')
    expect(body.api_key).toMatchObject({ organization_id: org.id, mode, name: 'ci', revoked_at: null })
    expect(body.secret).toMatch(new RegExp(`^wf_${mode}_[A-Za-z0-9_-]{43}$`))
    expect(body.secret.startsWith(body.api_key.prefix)).toBe(true)
    expect(body.secret.length).toBeGreaterThan(body.api_key.prefix.length)
    // The secret is never shown again.
    const listed = await api('GET', `/admin/v1/organizations/${org.id}/api-keys`, { headers: adminHeaders() })
    expect(listed.text).not.toContain(body.secret)
  })

  it('makes a different secret every time, usable on /v1 at once', async () => {
    const org = await newOrg()
    expect(org.live).not.toBe(org.sandbox)
    expect((await api('POST', '/v1/workflows', { key: org.live, body: FIVE_STEPS })).status).toBe(201)
  })

  it('is 400 for an unknown mode and 404 for an unknown organisation', async () => {
    const org = await newOrg()
    expectError(await admin('POST', `/admin/v1/organizations/${org.id}/api-keys`, { mode: 'test' }), 400, 'invalid_request')
    expectError(await admin('POST', '/admin/v1/organizations/org_01KC0000000000000000000000/api-keys', { mode: 'live' }), 404, 'not_found')
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

describe('admin authentication', () => {
  it.each<[string, Record<string, string>]>([
    ['no Authorization', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['the token without Bearer', { authorization: 'conformance' }],
    ['an API key instead', { 'x-api-key': 'wf_live_' + 'a'.repeat(43) }],
  ])('is 401 with %s', async (_, headers) => {
    expectError(await admin('POST', '/admin/v1/organizations', { name: 'x' }, headers), 401, 'unauthorized')
  })
})
