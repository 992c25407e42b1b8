/**
 * The order of checks (contract §8), row by row: "the first that fails answers".
 *
 *   401 key → 429 rate limit → 404 unknown route → 405 method → 403 sandbox → 413 size →
 *   415 content type → 400 invalid_json → 400 query/body validation → 404 workflow →
 *   409 archived → 412 If-Match
 *
 * Each test builds a request that fails two neighbouring checks (or more) and expects the earlier.
 */
import type { Workflow } from '@wf/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FIVE_STEPS, createTestApi, type TestApi, type TestOrg } from '../test-support/harness.js'
import {
  UNKNOWN_WORKFLOW_ID,
  createWorkflow,
  expectError,
  expectRateLimitHeaders,
  getWorkflow,
  jsonOfSize,
  randomKey,
} from '../test-support/helpers.js'

const OVERSIZED = jsonOfSize(FIVE_STEPS, 65537)
const workflowPath = (id: string) => `/v1/workflows/${id}`
const stepConfigPath = (id: string, step = 'FACE_LIVENESS') => `/v1/workflows/${id}/steps/${step}/config`

let t: TestApi
let org: TestOrg
let workflow: Workflow
beforeEach(async () => {
  t = createTestApi()
  org = await t.newOrg()
  workflow = await createWorkflow(t, org.live)
})
afterEach(() => t.close())

describe('401 key comes first', () => {
  it.each([
    ['GET', '/v1/nope'],
    ['GET', '/v1/workflows/x/y/z'],
    ['PUT', '/v1/workflows'],
    ['PUT', '/v1/workflows/wf_x'],
  ])('%s %s without a key is 401 (before 404 route and 405 method)', async (method, path) => {
    await expectError(await t.request(method, path), 401, 'unauthorized')
  })

  it('an unknown key with an oversized non-JSON body is 401', async () => {
    const res = await t.request('POST', '/v1/workflows', { key: randomKey(), body: OVERSIZED, headers: { 'content-type': 'text/plain' } })
    await expectError(res, 401, 'unauthorized')
  })
})

describe('429 rate limit: after the key, before everything else', () => {
  let limited: TestApi
  let limitedOrg: TestOrg
  beforeEach(async () => {
    limited = createTestApi({ rateLimit: { rps: 1, burst: 2 } })
    limitedOrg = await limited.newOrg()
    // Limits are per key: drain the live and the sandbox key's buckets.
    for (const key of [limitedOrg.live, limitedOrg.sandbox]) {
      for (let i = 0; i < 2; i++) expect((await limited.request('GET', '/v1/workflows', { key })).status).toBe(200)
    }
  })
  afterEach(() => limited.close())

  it('an unknown /v1 route over the limit is 429, not 404', async () => {
    const res = await limited.request('GET', '/v1/nope', { key: limitedOrg.live })
    await expectError(res, 429, 'rate_limited')
    expectRateLimitHeaders(res)
  })

  it('is 429 before 405, 403, 413 and 404 workflow', async () => {
    const key = limitedOrg.live
    await expectError(await limited.request('PUT', '/v1/workflows', { key }), 429, 'rate_limited')
    await expectError(await limited.request('POST', '/v1/workflows', { key: limitedOrg.sandbox, body: FIVE_STEPS }), 429, 'rate_limited')
    await expectError(await limited.request('POST', '/v1/workflows', { key, body: OVERSIZED }), 429, 'rate_limited')
    await expectError(await limited.request('GET', workflowPath(UNKNOWN_WORKFLOW_ID), { key }), 429, 'rate_limited')
  })

  it('a missing key over the limit is still 401 (401 before 429)', async () => {
    await expectError(await limited.request('GET', '/v1/workflows'), 401, 'unauthorized')
    await expectError(await limited.request('GET', '/v1/workflows', { key: randomKey() }), 401, 'unauthorized')
  })
})

describe('404 unknown route, then 405 method', () => {
  it.each(['/v1/nope', '/v1/workflows/x/y', '/v1/workflows/x/steps/FACE_LIVENESS', '/v1/workflowz'])(
    'GET %s with a key is 404 not_found',
    async (path) => {
      const res = await t.request('GET', path, { key: org.live })
      await expectError(res, 404, 'not_found')
      expectRateLimitHeaders(res)
    },
  )

  it('an unknown route with a sandbox key and a write method is 404, not 403', async () => {
    await expectError(await t.request('POST', '/v1/nope', { key: org.sandbox, body: {} }), 404, 'not_found')
  })

  // §5: 405 with Allow; §8: a sandbox PUT on a workflow is 405 (405 before 403).
  it.each([
    ['PUT', '/v1/workflows/:id', ['GET', 'PATCH', 'DELETE']],
    ['POST', '/v1/workflows/:id', ['GET', 'PATCH', 'DELETE']],
    ['PUT', '/v1/workflows', ['GET', 'POST']],
    ['DELETE', '/v1/workflows', ['GET', 'POST']],
    ['GET', '/v1/workflows/:id/steps/FACE_LIVENESS/config', ['PATCH']],
    ['POST', '/v1/workflows/:id/versions', ['GET']],
    ['DELETE', '/v1/workflows/:id/versions/1', ['GET']],
  ] as const)('a sandbox %s on %s is 405 with Allow', async (method, route, allowed) => {
    const path = route.replace(':id', workflow.id)
    const res = await t.request(method, path, { key: org.sandbox, body: method === 'GET' || method === 'DELETE' ? undefined : FIVE_STEPS })
    await expectError(res, 405, 'method_not_allowed')
    const allow = (res.headers.get('allow') ?? '').split(',').map((m) => m.trim())
    expect(allow).toEqual(expect.arrayContaining([...allowed]))
    expect(allow).not.toContain(method)
    expectRateLimitHeaders(res)
  })

  it('OPTIONS is 405 too (no CORS: docs/api-notes.md)', async () => {
    await expectError(await t.request('OPTIONS', '/v1/workflows', { key: org.live }), 405, 'method_not_allowed')
  })

  it('405 comes before 413 and 415', async () => {
    const res = await t.request('PUT', workflowPath(workflow.id), { key: org.live, body: OVERSIZED, headers: { 'content-type': 'text/plain' } })
    await expectError(res, 405, 'method_not_allowed')
  })
})

describe('403 sandbox, then 413 size, 415 content type, 400 invalid_json', () => {
  // 403 before 413: a sandbox key never gets as far as the body.
  it.each<[string, string, string]>([
    ['POST', '/v1/workflows', 'application/json'],
    ['PATCH', '/v1/workflows/:id', 'application/json'],
    ['PATCH', '/v1/workflows/:id/steps/FACE_LIVENESS/config', 'text/plain'],
  ])('a sandbox %s %s with an oversized body is 403', async (method, route, type) => {
    const res = await t.request(method, route.replace(':id', workflow.id), { key: org.sandbox, body: OVERSIZED, headers: { 'content-type': type } })
    await expectError(res, 403, 'sandbox_key')
  })

  it('a sandbox write with a non-JSON or invalid body is 403', async () => {
    await expectError(await t.request('POST', '/v1/workflows', { key: org.sandbox, body: 'x', headers: { 'content-type': 'text/plain' } }), 403, 'sandbox_key')
    await expectError(await t.request('POST', '/v1/workflows', { key: org.sandbox, body: '{' }), 403, 'sandbox_key')
    await expectError(await t.request('PATCH', workflowPath(workflow.id), { key: org.sandbox, body: { status: 'x' } }), 403, 'sandbox_key')
    await expectError(await t.request('DELETE', workflowPath(UNKNOWN_WORKFLOW_ID), { key: org.sandbox }), 403, 'sandbox_key')
  })

  it('oversized with a wrong content type is 413 (413 before 415)', async () => {
    await expectError(await t.request('POST', '/v1/workflows', { key: org.live, body: OVERSIZED, headers: { 'content-type': 'text/plain' } }), 413, 'payload_too_large')
    await expectError(await t.request('PATCH', workflowPath(workflow.id), { key: org.live, body: OVERSIZED, headers: { 'content-type': 'text/plain' } }), 413, 'payload_too_large')
  })

  it('oversized invalid JSON is 413, and so is an oversized body for an unknown workflow', async () => {
    await expectError(await t.request('POST', '/v1/workflows', { key: org.live, body: `{${' '.repeat(70_000)}` }), 413, 'payload_too_large')
    await expectError(await t.request('PATCH', workflowPath(UNKNOWN_WORKFLOW_ID), { key: org.live, body: OVERSIZED }), 413, 'payload_too_large')
  })

  it('a wrong content type with invalid JSON is 415 (415 before 400 invalid_json)', async () => {
    await expectError(await t.request('POST', '/v1/workflows', { key: org.live, body: '{"name":', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type')
    await expectError(await t.request('PATCH', workflowPath(workflow.id), { key: org.live, body: '{"name":', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type')
  })

  it('a wrong content type is 415 even for an unknown workflow (415 before 404 workflow)', async () => {
    await expectError(await t.request('PATCH', workflowPath(UNKNOWN_WORKFLOW_ID), { key: org.live, body: '{}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type')
  })

  it('invalid JSON is 400 invalid_json, not invalid_request (invalid_json before validation)', async () => {
    await expectError(await t.request('POST', '/v1/workflows', { key: org.live, body: '{"name": "", "steps": [' }), 400, 'invalid_json')
    await expectError(await t.request('PATCH', workflowPath(UNKNOWN_WORKFLOW_ID), { key: org.live, body: '{"status": ' }), 400, 'invalid_json')
  })
})

describe('400 validation, then 404 workflow, 409 archived, 412 If-Match', () => {
  // Validation before 404 workflow: the body (and step_id) is judged before the workflow is looked up.
  it('PATCH of an unknown workflow with an invalid body is 400', async () => {
    await expectError(await t.request('PATCH', workflowPath(UNKNOWN_WORKFLOW_ID), { key: org.live, body: { status: 'archived' } }), 400, 'invalid_request')
    await expectError(await t.request('PATCH', stepConfigPath(UNKNOWN_WORKFLOW_ID), { key: org.live, body: { config: { confidence_threshold: 0 } } }), 400, 'invalid_request')
    await expectError(await t.request('PATCH', stepConfigPath(UNKNOWN_WORKFLOW_ID, 'NOPE'), { key: org.live, body: { config: {} } }), 400, 'invalid_request')
    await expectError(await t.request('GET', `/v1/workflows/${UNKNOWN_WORKFLOW_ID}/versions/abc`, { key: org.live }), 400, 'invalid_request')
  })

  it("PATCH of another organisation's workflow with an invalid body is 400, with a valid one 404", async () => {
    const other = await t.newOrg('Other')
    await expectError(await t.request('PATCH', workflowPath(workflow.id), { key: other.live, body: { name: '' } }), 400, 'invalid_request')
    await expectError(await t.request('PATCH', workflowPath(workflow.id), { key: other.live, body: { name: 'x' } }), 404, 'not_found')
  })

  // 404 before 409: what does not exist (for this caller) is never "archived".
  it("is 404, not 409, for another organisation's archived workflow", async () => {
    await t.request('DELETE', workflowPath(workflow.id), { key: org.live })
    const other = await t.newOrg('Other')
    await expectError(await t.request('PATCH', workflowPath(workflow.id), { key: other.live, body: { name: 'x' } }), 404, 'not_found')
    await expectError(await t.request('DELETE', workflowPath(workflow.id), { key: other.live }), 404, 'not_found')
  })

  // Inside the one-step config PATCH (docs/api-notes.md): body 400 → workflow 404 → 409 → 412 →
  // step not in the workflow 404 → age rule 400 (the age rule needs the stored config).
  describe('one-step config PATCH: 409 → 412 → step not in workflow 404 → age rule 400', () => {
    let small: Workflow
    beforeEach(async () => {
      small = await createWorkflow(t, org.live, {
        name: 'Small',
        steps: [{ id: 'FACE_LIVENESS' }, { id: 'ID_VERIFICATION', config: { minimum_age: 30 } }],
      })
    })
    const send = (step: string, config: object, headers: Record<string, string> = {}) =>
      t.request('PATCH', stepConfigPath(small.id, step), { key: org.live, body: { config }, headers })

    it('is 409 for a step an archived workflow does not have', async () => {
      await t.request('DELETE', workflowPath(small.id), { key: org.live })
      await expectError(await send('AGE_ESTIMATION', { minimum_age: 20 }), 409, 'conflict')
    })

    it('is 412 for a step the workflow does not have, with a stale If-Match', async () => {
      await expectError(await send('AGE_ESTIMATION', { minimum_age: 20 }, { 'if-match': '"9"' }), 412, 'precondition_failed')
    })

    it('is 412 for an age-rule violation with a stale If-Match', async () => {
      await expectError(await send('ID_VERIFICATION', { maximum_age: 20 }, { 'if-match': '"9"' }), 412, 'precondition_failed')
    })

    it('is 400 for the age rule once the workflow, its state and If-Match pass', async () => {
      const error = await expectError(await send('ID_VERIFICATION', { maximum_age: 20 }, { 'if-match': '"1"' }), 400, 'invalid_request')
      expect(error.details?.map((d) => d.path)).toEqual(['/config/maximum_age'])
    })

    it('is 400 for a field of another step (checked on the body alone) even when the step is missing', async () => {
      await expectError(await send('AGE_ESTIMATION', { confidence_threshold: 50 }), 400, 'invalid_request')
    })
  })

  it('is 404, not 412, for an unknown workflow with an If-Match', async () => {
    await expectError(await t.request('PATCH', workflowPath(UNKNOWN_WORKFLOW_ID), { key: org.live, body: { name: 'x' }, headers: { 'if-match': '"9"' } }), 404, 'not_found')
    await expectError(await t.request('DELETE', workflowPath(UNKNOWN_WORKFLOW_ID), { key: org.live, headers: { 'if-match': '"9"' } }), 404, 'not_found')
  })

  it('is 400, not 412, for an invalid body with a stale If-Match', async () => {
    await expectError(await t.request('PATCH', workflowPath(workflow.id), { key: org.live, body: { name: '' }, headers: { 'if-match': '"9"' } }), 400, 'invalid_request')
    await expectError(await t.request('PATCH', stepConfigPath(workflow.id), { key: org.live, body: { config: { confidence_threshold: 0 } }, headers: { 'if-match': '"9"' } }), 400, 'invalid_request')
  })

  // 409 before 412 (§8: "an archived workflow with a stale If-Match is 409").
  it('is 409, not 412, for an archived workflow with a stale If-Match', async () => {
    await t.request('DELETE', workflowPath(workflow.id), { key: org.live })
    await expectError(await t.request('PATCH', workflowPath(workflow.id), { key: org.live, body: { name: 'x' }, headers: { 'if-match': '"1"' } }), 409, 'conflict')
    await expectError(await t.request('PATCH', workflowPath(workflow.id), { key: org.live, headers: { 'if-match': 'garbage' } }), 409, 'conflict')
    await expectError(await t.request('PATCH', stepConfigPath(workflow.id), { key: org.live, body: { config: {} }, headers: { 'if-match': '"1"' } }), 409, 'conflict')
  })

  it('is 400, not 409, for an invalid body on an archived workflow', async () => {
    await t.request('DELETE', workflowPath(workflow.id), { key: org.live })
    await expectError(await t.request('PATCH', workflowPath(workflow.id), { key: org.live, body: { steps: [] } }), 400, 'invalid_request')
  })

  it('412 comes last: a valid write to an active workflow with a stale If-Match, nothing changed', async () => {
    await expectError(await t.request('PATCH', workflowPath(workflow.id), { key: org.live, body: { name: 'x' }, headers: { 'if-match': '"2"' } }), 412, 'precondition_failed')
    expect(await getWorkflow(t, org.live, workflow.id)).toEqual(workflow)
  })
})
