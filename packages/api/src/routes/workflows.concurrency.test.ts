/**
 * Concurrency and history of workflows through `app.request()` over a real in-memory store
 * (contract §4, §8): If-Match on every write, the versions audit trail, and Idempotency-Key on
 * create. Response bodies are checked against core's schemas.
 */
import { type Workflow, WorkflowVersion } from '@wf/core'
import { beforeEach, describe, expect, it } from 'vitest'
import * as admin from '../services/admin.js'
import { FIVE_STEPS } from '../test-support/harness.js'
import { UNKNOWN_WORKFLOW_ID, createWorkflow, expectError, getWorkflow, readJson } from '../test-support/helpers.js'
import { expectSchema } from '../test-support/schemas.js'
import { START, expectWorkflow, useWorkflowApi, workflowPath } from '../test-support/workflow-api.js'

const api = useWorkflowApi()
const { post, patch, patchConfig, del, list, versionsOf } = api

// ---------------------------------------------------------------------------------------------
describe('If-Match — optimistic concurrency (§4, §8)', () => {
  let created: Workflow
  beforeEach(async () => {
    created = await createWorkflow(api.t, api.org.live)
  })

  const writes: [string, (id: string, h: Record<string, string>) => Promise<Response>][] = [
    ['PATCH', (id, h) => patch(id, { name: 'Renamed' }, h)],
    ['PATCH step config', (id, h) => patchConfig(id, 'FACE_LIVENESS', { config: { confidence_threshold: 33 } }, h)],
    ['DELETE', (id, h) => del(id, h)],
  ]

  describe.each(writes)('%s', (_, write) => {
    it.each(['"1"', 'W/"1"', '*', '"7", "1"', '"7","1"', 'W/"7", W/"1"', ' "1" '])('goes ahead with If-Match: %s', async (value) => {
      expect((await expectWorkflow(await write(created.id, { 'if-match': value }))).version).toBe(2)
    })

    it.each(['"2"', '"0"', '1', 'W/1', '"1', 'garbage', '"7", "8"', 'w/"1"', '"01"', '"1", garbage'])(
      'is 412 precondition_failed with If-Match: %s, changing nothing',
      async (value) => {
        await expectError(await write(created.id, { 'if-match': value }), 412, 'precondition_failed')
        expect(await getWorkflow(api.t, api.org.live, created.id)).toEqual(created)
        expect(await versionsOf(created.id)).toHaveLength(1)
      },
    )
  })

  it('lets exactly one of two concurrent writes with the same If-Match through; the other is 412', async () => {
    const [a, b] = await Promise.all([
      patch(created.id, { name: 'Writer A' }, { 'if-match': '"1"' }),
      patch(created.id, { name: 'Writer B' }, { 'if-match': '"1"' }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 412])
    const winner = a.status === 200 ? 'Writer A' : 'Writer B'
    expect(await getWorkflow(api.t, api.org.live, created.id)).toMatchObject({ name: winner, version: 2 })
    expect(await versionsOf(created.id)).toHaveLength(2)
  })

  it('applies both of two concurrent writes without If-Match, one version each', async () => {
    await Promise.all([patch(created.id, { name: 'Renamed' }), patchConfig(created.id, 'FACE_LIVENESS', { config: { confidence_threshold: 33 } })])
    const now = await getWorkflow(api.t, api.org.live, created.id)
    expect(now.version).toBe(3)
    expect(now.name).toBe('Renamed')
    expect(now.steps[1]).toEqual({ id: 'FACE_LIVENESS', config: { confidence_threshold: 33 } })
  })

  it('is 412 for a stale version after another write', async () => {
    const etag = (await api.t.request('GET', workflowPath(created.id), { key: api.org.live })).headers.get('etag') ?? ''
    expect((await expectWorkflow(await patch(created.id, { name: 'First writer' }, { 'if-match': etag }))).version).toBe(2)
    await expectError(await patch(created.id, { name: 'Second writer' }, { 'if-match': etag }), 412, 'precondition_failed')
    expect((await getWorkflow(api.t, api.org.live, created.id)).name).toBe('First writer')
  })

  // §8 order: 409 archived before 412 If-Match.
  it('is 409, not 412, for an archived workflow with a stale If-Match', async () => {
    await del(created.id)
    await expectError(await patch(created.id, { name: 'x' }, { 'if-match': '"1"' }), 409, 'conflict')
    await expectError(await patchConfig(created.id, 'FACE_LIVENESS', { config: { confidence_threshold: 33 } }, { 'if-match': '"1"' }), 409, 'conflict')
  })
})

// ---------------------------------------------------------------------------------------------
describe('GET /v1/workflows/:id/versions — the audit trail (§4)', () => {
  it('lists every version newest first, each with the key that wrote it', async () => {
    const second = await admin.createApiKey(api.t.deps, api.org.id, 'live', 'second')
    const created = await createWorkflow(api.t, api.org.live)
    api.t.advance(1000)
    await expectWorkflow(await api.t.request('PATCH', workflowPath(created.id), { key: second.secret, body: { name: 'By second' } }))
    api.t.advance(1000)
    await expectWorkflow(await patchConfig(created.id, 'FACE_LIVENESS', { config: { confidence_threshold: 90 } }))
    api.t.advance(1000)
    await expectWorkflow(await api.t.request('DELETE', workflowPath(created.id), { key: second.secret }))

    const versions = await versionsOf(created.id)
    for (const v of versions) expectSchema(WorkflowVersion, v, 'version')
    expect(versions.map((v) => [v.version, v.created_by, v.status, v.name, v.created_at])).toEqual([
      [4, second.api_key.id, 'archived', 'By second', '2026-11-26T09:00:03.000Z'],
      [3, api.org.liveKeyId, 'active', 'By second', '2026-11-26T09:00:02.000Z'],
      [2, second.api_key.id, 'active', 'By second', '2026-11-26T09:00:01.000Z'],
      [1, api.org.liveKeyId, 'active', 'Standard onboarding', START],
    ])
    expect(versions[3]?.steps).toEqual(created.steps)
    expect(versions[1]?.steps[1]).toEqual({ id: 'FACE_LIVENESS', config: { confidence_threshold: 90 } })
    // The record keeps the key that created it.
    expect((await getWorkflow(api.t, api.org.live, created.id)).created_by).toBe(api.org.liveKeyId)
  })

  it('keeps /versions/1 immutable after later updates', async () => {
    const created = await createWorkflow(api.t, api.org.live)
    const read = async (n: number) => {
      const res = await api.t.request('GET', `/v1/workflows/${created.id}/versions/${n}`, { key: api.org.live })
      const body = await readJson(res)
      expect(res.status).toBe(200)
      expectSchema(WorkflowVersion, body.version, 'version')
      return body.version
    }
    const first = await read(1)
    expect(first).toEqual({
      version: 1,
      name: created.name,
      status: 'active',
      steps: created.steps,
      created_by: api.org.liveKeyId,
      created_at: START,
    })
    api.t.advance(5000)
    await patch(created.id, { name: 'Later', steps: [{ id: 'PEP_SANCTIONS' }] })
    await patchConfig(created.id, 'PEP_SANCTIONS', { config: {} })
    await del(created.id)
    expect(await read(1)).toEqual(first)
    expect((await read(2)).name).toBe('Later')
  })

  // A path-parameter problem is reported at /path/<name>: /path/version here (docs/api-notes.md).
  it.each(['abc', '0', '-1', '1.5', '01', '1e1'])('is 400 invalid_request for /versions/%s', async (n) => {
    const created = await createWorkflow(api.t, api.org.live)
    const error = await expectError(await api.t.request('GET', `/v1/workflows/${created.id}/versions/${n}`, { key: api.org.live }), 400, 'invalid_request')
    expect(error.details).toEqual([{ path: '/path/version', message: expect.any(String) }])
  })

  it('is 404 for a version that does not exist, and for the versions of an unknown workflow', async () => {
    const created = await createWorkflow(api.t, api.org.live)
    await expectError(await api.t.request('GET', `/v1/workflows/${created.id}/versions/99`, { key: api.org.live }), 404, 'not_found')
    await expectError(await api.t.request('GET', `/v1/workflows/${created.id}/versions/2`, { key: api.org.live }), 404, 'not_found')
    await expectError(await api.t.request('GET', `/v1/workflows/${UNKNOWN_WORKFLOW_ID}/versions`, { key: api.org.live }), 404, 'not_found')
    await expectError(await api.t.request('GET', `/v1/workflows/${UNKNOWN_WORKFLOW_ID}/versions/1`, { key: api.org.live }), 404, 'not_found')
  })
})

// ---------------------------------------------------------------------------------------------
describe('Idempotency-Key on create (§4, §8)', () => {
  const KEY = 'create-onboarding-0001'
  const count = async (key = api.org.live) => (await list('', key)).workflows.length

  it('replays the stored response for the same key and the same JSON value, creating nothing', async () => {
    const first = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    const firstText = await first.text()
    expect(first.status).toBe(201)
    expect(first.headers.get('idempotent-replayed')).toBeNull()

    // Same JSON value: keys reordered, different white space.
    const reordered = `{ "steps" : ${JSON.stringify(FIVE_STEPS.steps.map((s) => Object.fromEntries(Object.entries(s).reverse())), null, 2)},\n "name":"${FIVE_STEPS.name}" }`
    api.t.advance(60_000)
    const replay = await post(reordered, { 'idempotency-key': KEY })
    expect(replay.status).toBe(201)
    expect(await replay.text()).toBe(firstText)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(replay.headers.get('location')).toBe(first.headers.get('location'))
    expect(replay.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await count()).toBe(1)
  })

  it('is scoped to the organisation, not to the API key', async () => {
    const first = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    const second = await admin.createApiKey(api.t.deps, api.org.id, 'live', 'second')
    const sameOrg = await post(FIVE_STEPS, { 'idempotency-key': KEY }, second.secret)
    expect(sameOrg.headers.get('idempotent-replayed')).toBe('true')
    expect(await sameOrg.text()).toBe(await first.text())

    const other = await api.t.newOrg('Other')
    const otherOrg = await post(FIVE_STEPS, { 'idempotency-key': KEY }, other.live)
    const created = await expectWorkflow(otherOrg, 201)
    expect(otherOrg.headers.get('idempotent-replayed')).toBeNull()
    expect(created.organization_id).toBe(other.id)
    expect(await count()).toBe(1)
    expect(await count(other.live)).toBe(1)
  })

  it('creates one workflow for concurrent requests with the same key and body; the others replay it', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(FIVE_STEPS, { 'idempotency-key': KEY })))
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201])
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4)
    expect(new Set(await Promise.all(responses.map((r) => r.text()))).size).toBe(1)
    expect(await count()).toBe(1)
  })

  it('is 422 idempotency_key_reused for the same key with a different body', async () => {
    await expectWorkflow(await post(FIVE_STEPS, { 'idempotency-key': KEY }), 201)
    await expectError(await post({ ...FIVE_STEPS, name: 'Other name' }, { 'idempotency-key': KEY }), 422, 'idempotency_key_reused')
    expect(await count()).toBe(1)
  })

  it('does not store a request that failed validation: its retry is judged afresh', async () => {
    await expectError(await post({ name: '', steps: [] }, { 'idempotency-key': KEY }), 400, 'invalid_request')
    const fixed = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    await expectWorkflow(fixed.clone(), 201)
    expect(fixed.headers.get('idempotent-replayed')).toBeNull()
    const again = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await again.text()).toBe(await fixed.text())
    expect(await count()).toBe(1)
  })

  // §4: 1–255 characters; longer is 400 invalid_request (a header problem at /header/Idempotency-Key).
  it.each([
    ['1 character', 'k', 201],
    ['255 characters', 'k'.repeat(255), 201],
    ['256 characters', 'k'.repeat(256), 400],
    ['empty', '', 400],
  ] as const)('a key of %s is answered %i', async (_, key, status) => {
    const res = await post(FIVE_STEPS, { 'idempotency-key': key })
    if (status === 201) {
      await expectWorkflow(res, 201)
    } else {
      const error = await expectError(res, 400, 'invalid_request')
      expect(error.details).toEqual([{ path: '/header/Idempotency-Key', message: expect.any(String) }])
      expect(await count()).toBe(0)
    }
  })

  // §4: the stored response is kept for 24 hours; after that the key may be used afresh.
  it('replays within 24 hours and creates a new workflow with the key after 24 hours', async () => {
    const first = await expectWorkflow(await post(FIVE_STEPS, { 'idempotency-key': KEY }), 201)
    api.t.advance(24 * 60 * 60 * 1000 - 1000)
    const within = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    expect(within.headers.get('idempotent-replayed')).toBe('true')
    expect((await readJson(within)).workflow.id).toBe(first.id)

    api.t.advance(2000)
    const after = await post({ ...FIVE_STEPS, name: 'A new day' }, { 'idempotency-key': KEY })
    const fresh = await expectWorkflow(after.clone(), 201)
    expect(after.headers.get('idempotent-replayed')).toBeNull()
    expect(fresh.id).not.toBe(first.id)
    expect(await count()).toBe(2)
    // …and the key now replays the new workflow.
    const replay = await post({ ...FIVE_STEPS, name: 'A new day' }, { 'idempotency-key': KEY })
    expect((await readJson(replay)).workflow.id).toBe(fresh.id)
  })
})
