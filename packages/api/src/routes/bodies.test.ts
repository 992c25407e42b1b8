/**
 * Every success body, checked whole against the core schema that defines it (closed objects, every
 * field required): a field renamed, dropped or added on any route, whether the body is built by
 * JSON.stringify or as JSON text by the store, fails here.
 */
import { ApiKey, Organization, Workflow, WorkflowSummary, WorkflowVersion } from '@wf/core'
import Type, { type TSchema } from 'typebox'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, createTestApi, FIVE_STEPS, type TestApi, type TestOrg } from '../test-support/harness.js'
import { readJson } from '../test-support/helpers.js'
import { expectSchema } from '../test-support/schemas.js'

const closed = { additionalProperties: false } as const
const one = (name: string, schema: TSchema) => Type.Object({ [name]: schema }, closed)
const WorkflowBody = one('workflow', Workflow)
const PageBody = Type.Object({ workflows: Type.Array(WorkflowSummary), next_cursor: Type.Union([Type.String(), Type.Null()]) }, closed)

let t: TestApi
let org: TestOrg
beforeEach(async () => {
  t = createTestApi()
  org = await t.newOrg()
})
afterEach(() => t.close())

async function body(res: Response, status: number, schema: TSchema, name: string) {
  const json = await readJson(res)
  expect(res.status, JSON.stringify(json)).toBe(status)
  expectSchema(schema, json, name)
  return json
}

describe('the /v1 success bodies are exactly core schemas', () => {
  it('create, retrieve, list, update, step config, archive, versions', async () => {
    const key = { key: org.live }
    const created = await body(await t.request('POST', '/v1/workflows', { ...key, body: FIVE_STEPS }), 201, WorkflowBody, 'create')
    const id = created.workflow.id
    const replayed = await t.request('POST', '/v1/workflows', { ...key, body: FIVE_STEPS, headers: { 'Idempotency-Key': 'k1' } })
    await body(replayed, 201, WorkflowBody, 'create with Idempotency-Key')
    await body(
      await t.request('POST', '/v1/workflows', { ...key, body: FIVE_STEPS, headers: { 'Idempotency-Key': 'k1' } }),
      201,
      WorkflowBody,
      'replay',
    )
    await body(await t.request('GET', `/v1/workflows/${id}`, key), 200, WorkflowBody, 'retrieve')
    await body(await t.request('GET', '/v1/workflows?limit=1', key), 200, PageBody, 'list (a page with a cursor)')
    await body(await t.request('GET', '/v1/workflows', key), 200, PageBody, 'list (the last page)')
    await body(await t.request('PATCH', `/v1/workflows/${id}`, { ...key, body: { name: 'Renamed' } }), 200, WorkflowBody, 'update')
    const config = { config: { confidence_threshold: 90 } }
    await body(
      await t.request('PATCH', `/v1/workflows/${id}/steps/FACE_LIVENESS/config`, { ...key, body: config }),
      200,
      WorkflowBody,
      'step config',
    )
    await body(await t.request('DELETE', `/v1/workflows/${id}`, key), 200, WorkflowBody, 'archive')
    await body(await t.request('GET', `/v1/workflows/${id}/versions`, key), 200, one('versions', Type.Array(WorkflowVersion)), 'versions')
    await body(await t.request('GET', `/v1/workflows/${id}/versions/2`, key), 200, one('version', WorkflowVersion), 'one version')
  })
})

describe('the admin success bodies are exactly core schemas', () => {
  it('organizations and keys', async () => {
    const admin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }
    const created = await body(
      await t.request('POST', '/admin/v1/organizations', { ...admin, body: { name: 'Acme' } }),
      201,
      one('organization', Organization),
      'organization',
    )
    const keys = `/admin/v1/organizations/${created.organization.id}/api-keys`
    const KeyBody = Type.Object({ api_key: ApiKey, secret: Type.String({ pattern: '^wf_live_' }) }, closed)
    const key = await body(await t.request('POST', keys, { ...admin, body: { mode: 'live' } }), 201, KeyBody, 'new key')
    await body(await t.request('GET', keys, admin), 200, one('api_keys', Type.Array(ApiKey)), 'keys')
    await body(await t.request('DELETE', `/admin/v1/api-keys/${key.api_key.id}`, admin), 200, one('api_key', ApiKey), 'revoked key')
  })
})
