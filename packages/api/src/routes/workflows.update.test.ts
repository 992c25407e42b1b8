/**
 * Reading and changing one workflow through `app.request()` over a real in-memory store (contract
 * §4, §8): GET /v1/workflows/:id, PATCH of the record, PATCH of one step's config, and DELETE
 * (archive). Response bodies are checked against core's schemas.
 */
import type { Workflow } from '@wf/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { FIVE_STEPS } from '../test-support/harness.js'
import { UNKNOWN_WORKFLOW_ID, createWorkflow, expectError, getWorkflow, jsonOfSize } from '../test-support/helpers.js'
import {
  ISO_MS,
  RESOLVED_FIVE_STEPS,
  expectWorkflow,
  stepConfigPath,
  useWorkflowApi,
  workflowPath,
} from '../test-support/workflow-api.js'

const api = useWorkflowApi()
const { patch, patchConfig, del, versionsOf } = api

// ---------------------------------------------------------------------------------------------
describe('GET /v1/workflows/:id — retrieve (§4)', () => {
  it('is 200 with the record and ETag "<version>"', async () => {
    const created = await createWorkflow(api.t, api.org.live)
    const res = await api.t.request('GET', workflowPath(created.id), { key: api.org.live })
    expect(res.headers.get('etag')).toBe('"1"')
    expect(await expectWorkflow(res)).toEqual(created)
    await patch(created.id, { name: 'Renamed' })
    expect((await api.t.request('GET', workflowPath(created.id), { key: api.org.live })).headers.get('etag')).toBe('"2"')
  })

  it.each([UNKNOWN_WORKFLOW_ID, 'nope', 'wf_', 'WF_01KZZZZZZZZZZZZZZZZZZZZZZZ'])('is 404 not_found for id %s', async (id) => {
    await expectError(await api.t.request('GET', workflowPath(id), { key: api.org.live }), 404, 'not_found')
  })
})

// ---------------------------------------------------------------------------------------------
describe('PATCH /v1/workflows/:id — update (§4)', () => {
  let created: Workflow
  beforeEach(async () => {
    created = await createWorkflow(api.t, api.org.live)
    api.t.advance(60_000)
  })

  it('renames: version + 1, updated_at moves, the rest is kept, ETag follows', async () => {
    const res = await patch(created.id, { name: '  Renamed  ' })
    const updated = await expectWorkflow(res)
    expect(updated).toEqual({ ...created, name: 'Renamed', version: 2, updated_at: '2026-11-26T09:01:00.000Z' })
    expect(updated.updated_at).toMatch(ISO_MS)
    expect(res.headers.get('etag')).toBe('"2"')
    expect(await getWorkflow(api.t, api.org.live, created.id)).toEqual(updated)
  })

  it('replaces the whole step list, resolved: version + 1', async () => {
    const updated = await expectWorkflow(await patch(created.id, { steps: [{ id: 'AGE_ESTIMATION', config: { minimum_age: 21 } }, { id: 'PEP_SANCTIONS' }] }))
    expect(updated.version).toBe(2)
    expect(updated.steps).toEqual([
      { id: 'AGE_ESTIMATION', config: { minimum_age: 21 } },
      { id: 'PEP_SANCTIONS', config: {} },
    ])
  })

  it('bumps the version by exactly 1 when name and steps change together', async () => {
    const updated = await expectWorkflow(await patch(created.id, { name: 'Both', steps: [{ id: 'PEP_SANCTIONS' }] }))
    expect(updated.version).toBe(2)
    expect(await versionsOf(created.id)).toHaveLength(2)
  })

  // §4: an empty body, or one that changes nothing, is 200 without a version bump.
  it.each<[string, unknown]>([
    ['no body at all', undefined],
    ['an empty string', ''],
    ['{}', {}],
    ['the same name', { name: 'Standard onboarding' }],
    ['the same name with surrounding white space', { name: ' Standard onboarding\t' }],
    ['the same steps, as first requested', { steps: FIVE_STEPS.steps }],
    ['the same steps, fully resolved', { steps: RESOLVED_FIVE_STEPS }],
    ['the same name and steps', FIVE_STEPS],
  ])('is 200 without a version bump for %s', async (_, body) => {
    const res = await api.t.request('PATCH', workflowPath(created.id), { key: api.org.live, body })
    expect(await expectWorkflow(res)).toEqual(created)
    expect(res.headers.get('etag')).toBe('"1"')
    expect(await versionsOf(created.id)).toHaveLength(1)
  })

  // §4: validated exactly as on create; nothing changes.
  it.each<[string, unknown, string]>([
    ['a status', { status: 'archived' }, '/status'],
    ['an id', { id: 'wf_other' }, '/id'],
    ['an empty name', { name: '' }, '/name'],
    ['an empty step list', { steps: [] }, '/steps'],
    ['an unknown step', { steps: [{ id: 'SELFIE' }] }, '/steps/0/id'],
    ['a bad config value', { steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 101 } }] }, '/steps/0/config/confidence_threshold'],
    ['null', null, ''],
    ['an array', [], ''],
  ])('is 400 invalid_request for %s', async (_, body, path) => {
    const error = await expectError(await patch(created.id, body), 400, 'invalid_request')
    expect(error.details?.map((d) => d.path)).toContain(path)
    expect(await getWorkflow(api.t, api.org.live, created.id)).toEqual(created)
  })

  it('is 400 invalid_json for malformed JSON and 415 for a non-JSON content type', async () => {
    await expectError(await patch(created.id, '{"name":'), 400, 'invalid_json')
    await expectError(await patch(created.id, { name: 'x' }, { 'content-type': 'text/plain' }), 415, 'unsupported_media_type')
    expect(await expectWorkflow(await patch(created.id, { name: 'Merge' }, { 'content-type': 'application/merge-patch+json' }))).toMatchObject({
      name: 'Merge',
      version: 2,
    })
  })

  it('accepts 65536 bytes and refuses 65537 bytes with 413', async () => {
    await expectError(await patch(created.id, jsonOfSize({ name: 'Big' }, 65537)), 413, 'payload_too_large')
    expect((await getWorkflow(api.t, api.org.live, created.id)).version).toBe(1)
    expect((await expectWorkflow(await patch(created.id, jsonOfSize({ name: 'Big' }, 65536)))).version).toBe(2)
  })
})

// ---------------------------------------------------------------------------------------------
describe('PATCH /v1/workflows/:id/steps/:step_id/config — one step (§4, §8)', () => {
  let created: Workflow
  beforeEach(async () => {
    created = await createWorkflow(api.t, api.org.live)
  })

  it('merges the given fields onto the stored config, keeping the others: version + 1', async () => {
    const updated = await expectWorkflow(await patchConfig(created.id, 'ID_VERIFICATION', { config: { maximum_age: 60, require_secondary_id: true } }))
    expect(updated.version).toBe(2)
    expect(updated.steps[0]).toEqual({
      id: 'ID_VERIFICATION',
      config: { ...RESOLVED_FIVE_STEPS[0]?.config, maximum_age: 60, require_secondary_id: true },
    })
    expect(updated.steps.slice(1)).toEqual(created.steps.slice(1))
    const face = await expectWorkflow(await patchConfig(created.id, 'FACE_LIVENESS', { config: { confidence_threshold: 55 } }))
    expect(face.version).toBe(3)
    expect(face.steps[1]).toEqual({ id: 'FACE_LIVENESS', config: { confidence_threshold: 55 } })
    expect(face.steps[0]).toEqual(updated.steps[0])
  })

  // §4: a step_id outside the catalog is 400 (a path-parameter problem at /path/step_id).
  it.each(['NOPE', 'id_verification', 'ID_VERIFICATION '])('is 400 for step_id %j outside the catalog', async (step) => {
    const error = await expectError(await patchConfig(created.id, encodeURIComponent(step), { config: {} }), 400, 'invalid_request')
    expect(error.details?.map((d) => d.path)).toEqual(['/path/step_id'])
  })

  // §4: in the catalog but not in this workflow is 404.
  it('is 404 for a catalog step the workflow does not have', async () => {
    const small = await createWorkflow(api.t, api.org.live, { name: 'Small', steps: [{ id: 'FACE_LIVENESS' }] })
    await expectError(await patchConfig(small.id, 'AGE_ESTIMATION', { config: { minimum_age: 20 } }), 404, 'not_found')
    expect((await getWorkflow(api.t, api.org.live, small.id)).version).toBe(1)
  })

  // §8: the age rule is checked against the stored values; paths point into the PATCH body.
  it('checks minimum_age <= maximum_age against the stored values, at /config/maximum_age', async () => {
    // stored minimum_age is 21
    const error = await expectError(await patchConfig(created.id, 'ID_VERIFICATION', { config: { maximum_age: 20 } }), 400, 'invalid_request')
    expect(error.details?.map((d) => d.path)).toEqual(['/config/maximum_age'])
    expect(await getWorkflow(api.t, api.org.live, created.id)).toEqual(created)
    await expectWorkflow(await patchConfig(created.id, 'ID_VERIFICATION', { config: { maximum_age: 21 } }))
  })

  it.each<[string, string, unknown, string]>([
    ['a value out of range', 'FACE_LIVENESS', { config: { confidence_threshold: 0 } }, '/config/confidence_threshold'],
    ["another step's field", 'ID_VERIFICATION', { config: { confidence_threshold: 50 } }, '/config/confidence_threshold'],
    ['a wrong type', 'ID_VERIFICATION', { config: { require_secondary_id: 'yes' } }, '/config/require_secondary_id'],
    ['a config on PEP_SANCTIONS', 'PEP_SANCTIONS', { config: { x: 1 } }, '/config/x'],
    ['config not an object', 'FACE_LIVENESS', { config: 5 }, '/config'],
    ['a property besides config', 'FACE_LIVENESS', { config: {}, name: 'x' }, '/name'],
    ['{} (config is required)', 'FACE_LIVENESS', {}, '/config'],
    ['an empty body (which is {})', 'FACE_LIVENESS', undefined, '/config'],
  ])('is 400 invalid_request for %s', async (_, step, body, path) => {
    const error = await expectError(await api.t.request('PATCH', stepConfigPath(created.id, step), { key: api.org.live, body }), 400, 'invalid_request')
    expect(error.details?.map((d) => d.path)).toContain(path)
    expect(await getWorkflow(api.t, api.org.live, created.id)).toEqual(created)
  })

  it('is 200 without a bump for config {} or for values it already has', async () => {
    expect(await expectWorkflow(await patchConfig(created.id, 'ID_VERIFICATION', { config: {} }))).toEqual(created)
    expect(await expectWorkflow(await patchConfig(created.id, 'ID_VERIFICATION', { config: { minimum_age: 21 } }))).toEqual(created)
    expect(await versionsOf(created.id)).toHaveLength(1)
  })

  // §8: enable_fraud_analysis forced by an escalation stays true when escalation goes back to none.
  it('keeps enable_fraud_analysis forced to true when escalation_type goes back to none; the caller can then clear it', async () => {
    expect(created.steps[0]?.config).toMatchObject({ enable_fraud_analysis: true, escalation_type: 'nfc-passport' })
    const back = await expectWorkflow(await patchConfig(created.id, 'ID_VERIFICATION', { config: { escalation_type: 'none' } }))
    expect(back.steps[0]?.config).toMatchObject({ enable_fraud_analysis: true, escalation_type: 'none' })
    const cleared = await expectWorkflow(await patchConfig(created.id, 'ID_VERIFICATION', { config: { enable_fraud_analysis: false } }))
    expect(cleared.steps[0]?.config).toMatchObject({ enable_fraud_analysis: false, escalation_type: 'none' })
    expect(cleared.version).toBe(3)
  })

  it('forces enable_fraud_analysis to true when an escalation is set, even if false is given', async () => {
    const plain = await createWorkflow(api.t, api.org.live, { name: 'Plain', steps: [{ id: 'ID_VERIFICATION' }] })
    const updated = await expectWorkflow(
      await patchConfig(plain.id, 'ID_VERIFICATION', { config: { escalation_type: 'nfc-passport', enable_fraud_analysis: false } }),
    )
    expect(updated.steps[0]?.config).toMatchObject({ enable_fraud_analysis: true, escalation_type: 'nfc-passport' })
  })
})

// ---------------------------------------------------------------------------------------------
describe('DELETE /v1/workflows/:id — archive (§4, §8)', () => {
  let created: Workflow
  beforeEach(async () => {
    created = await createWorkflow(api.t, api.org.live)
  })

  it('archives: status archived, version + 1, still readable', async () => {
    api.t.advance(1000)
    const res = await del(created.id)
    const archived = await expectWorkflow(res)
    expect(archived).toEqual({ ...created, status: 'archived', version: 2, updated_at: '2026-11-26T09:00:01.000Z' })
    expect(res.headers.get('etag')).toBe('"2"')
    expect(await getWorkflow(api.t, api.org.live, created.id)).toEqual(archived)
  })

  it('is 200 and changes nothing when archived again, whatever If-Match says', async () => {
    const archived = await expectWorkflow(await del(created.id))
    api.t.advance(1000)
    expect(await expectWorkflow(await del(created.id))).toEqual(archived)
    expect(await expectWorkflow(await del(created.id, { 'if-match': '"1"' }))).toEqual(archived)
    expect(await expectWorkflow(await del(created.id, { 'if-match': 'garbage' }))).toEqual(archived)
    expect(await versionsOf(created.id)).toHaveLength(2)
  })

  it('ignores a body on DELETE (§8)', async () => {
    const res = await api.t.request('DELETE', workflowPath(created.id), { key: api.org.live, body: 'not json', headers: { 'content-type': 'text/plain' } })
    expect((await expectWorkflow(res)).status).toBe('archived')
  })

  // §4, §8: every PATCH of an archived workflow is 409, even one that would change nothing.
  it.each<[string, (id: string) => Promise<Response>]>([
    ['a rename', (id) => patch(id, { name: 'Renamed' })],
    ['an empty PATCH body', (id) => api.t.request('PATCH', workflowPath(id), { key: api.org.live })],
    ['PATCH {}', (id) => patch(id, {})],
    ['a no-op PATCH (same name)', (id) => patch(id, { name: 'Standard onboarding' })],
    ['a step config change', (id) => patchConfig(id, 'FACE_LIVENESS', { config: { confidence_threshold: 20 } })],
    ['a no-op step config PATCH', (id) => patchConfig(id, 'FACE_LIVENESS', { config: {} })],
  ])('is 409 conflict for %s of an archived workflow', async (_, send) => {
    const archived = await expectWorkflow(await del(created.id))
    await expectError(await send(created.id), 409, 'conflict')
    expect(await getWorkflow(api.t, api.org.live, created.id)).toEqual(archived)
  })
})
