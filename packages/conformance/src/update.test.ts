/**
 * GET /v1/workflows/{id} and PATCH /v1/workflows/{id} (contract §4, §8): ETag, version + 1 on a
 * change, no bump for a PATCH that changes nothing, validation exactly as on create.
 */
import { describe, expect, it } from 'vitest'
import { api, newKey, workflowPath } from './client.js'
import { expectError, expectWorkflow, paths } from './expect.js'
import {
  FIVE_STEPS,
  getWorkflow,
  ISO_MS,
  jsonOfSize,
  RESOLVED_FIVE_STEPS,
  UNKNOWN_WORKFLOW_ID,
  useFreshWorkflow,
  versionsOf,
} from './fixtures.js'

const fresh = useFreshWorkflow()

const patch = (body: unknown, headers: Record<string, string> = {}, id = fresh.created.id) =>
  api('PATCH', workflowPath(id), { key: fresh.org.live, body, headers })
const retrieve = (id = fresh.created.id) => api('GET', workflowPath(id), { key: fresh.org.live })

describe('GET /v1/workflows/{id} — retrieve', () => {
  it('is 200 with the record and ETag "<version>", which follows the version', async () => {
    const reply = await retrieve()
    expect(reply.headers.get('etag')).toBe('"1"')
    expect(expectWorkflow(reply)).toEqual(fresh.created)
    expectWorkflow(await patch({ name: 'Renamed' }))
    expect((await retrieve()).headers.get('etag')).toBe('"2"')
  })

  it.each([UNKNOWN_WORKFLOW_ID, 'nope', 'wf_', 'WF_01KZZZZZZZZZZZZZZZZZZZZZZZ'])('is 404 not_found for id %s', async (id) => {
    expectError(await retrieve(id), 404, 'not_found')
  })

  it('ignores unknown query parameters', async () => {
    expect(expectWorkflow(await api('GET', `${workflowPath(fresh.created.id)}?expand=all`, { key: fresh.org.live }))).toEqual(fresh.created)
  })
})

describe('PATCH /v1/workflows/{id} — update', () => {
  it('renames: version + 1, updated_at moves on, the rest is kept, ETag follows', async () => {
    const reply = await patch({ name: '  Renamed  ' })
    const updated = expectWorkflow(reply)
    expect(updated).toEqual({ ...fresh.created, name: 'Renamed', version: 2, updated_at: expect.stringMatching(ISO_MS) })
    expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(fresh.created.updated_at))
    expect(reply.headers.get('etag')).toBe('"2"')
    expect(await getWorkflow(fresh.org.live, fresh.created.id)).toEqual(updated)
  })

  it('replaces the whole step list, resolved: version + 1', async () => {
    const updated = expectWorkflow(await patch({ steps: [{ id: 'AGE_ESTIMATION', config: { minimum_age: 21 } }, { id: 'PEP_SANCTIONS' }] }))
    expect(updated.version).toBe(2)
    expect(updated.steps).toEqual([
      { id: 'AGE_ESTIMATION', config: { minimum_age: 21 } },
      { id: 'PEP_SANCTIONS', config: {} },
    ])
  })

  it('bumps the version by exactly 1 when name and steps change together', async () => {
    expect(expectWorkflow(await patch({ name: 'Both', steps: [{ id: 'PEP_SANCTIONS' }] })).version).toBe(2)
    expect(await versionsOf(fresh.org.live, fresh.created.id)).toHaveLength(2)
  })

  it('bumps by one for each change in a row', async () => {
    for (const [i, name] of ['A', 'B', 'C'].entries()) expect(expectWorkflow(await patch({ name })).version).toBe(i + 2)
  })

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
    const reply = await patch(body)
    expect(expectWorkflow(reply)).toEqual(fresh.created)
    expect(reply.headers.get('etag')).toBe('"1"')
    expect(await versionsOf(fresh.org.live, fresh.created.id)).toHaveLength(1)
  })

  it.each<[string, unknown, string]>([
    ['a status', { status: 'archived' }, '/status'],
    ['an id', { id: 'wf_other' }, '/id'],
    ['a version', { version: 7 }, '/version'],
    ['an empty name', { name: '' }, '/name'],
    ['an empty step list', { steps: [] }, '/steps'],
    ['an unknown step', { steps: [{ id: 'SELFIE' }] }, '/steps/0/id'],
    [
      'a bad config value',
      { steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 101 } }] },
      '/steps/0/config/confidence_threshold',
    ],
    ['null', null, ''],
    ['an array', [], ''],
  ])('is 400 invalid_request for %s, changing nothing', async (_, body, path) => {
    const error = expectError(await patch(body), 400, 'invalid_request')
    expect(paths(error)).toContain(path)
    expect(error.error).toMatch(/^Invalid request: /)
    expect(await getWorkflow(fresh.org.live, fresh.created.id)).toEqual(fresh.created)
  })

  it('is 400 invalid_json for malformed JSON, 415 for a non-JSON content type; +json types are JSON', async () => {
    expectError(await patch('{"name":'), 400, 'invalid_json')
    expectError(await patch({ name: 'x' }, { 'content-type': 'text/plain' }), 415, 'unsupported_media_type')
    expect(await getWorkflow(fresh.org.live, fresh.created.id)).toEqual(fresh.created)
    expect(expectWorkflow(await patch({ name: 'Merge' }, { 'content-type': 'application/merge-patch+json' }))).toMatchObject({
      name: 'Merge',
      version: 2,
    })
  })

  it('accepts 65536 bytes and refuses 65537 bytes with 413', async () => {
    expectError(await patch(jsonOfSize({ name: 'Big' }, 65537)), 413, 'payload_too_large')
    expect((await getWorkflow(fresh.org.live, fresh.created.id)).version).toBe(1)
    expect(expectWorkflow(await patch(jsonOfSize({ name: 'Big' }, 65536))).version).toBe(2)
  })

  it('is 404 for an unknown workflow', async () => {
    expectError(await patch({ name: 'x' }, {}, UNKNOWN_WORKFLOW_ID), 404, 'not_found')
  })

  it('keeps created_by and created_at when another key of the organization updates', async () => {
    const second = await newKey(fresh.org.id, 'live', 'second')
    const updated = expectWorkflow(await api('PATCH', workflowPath(fresh.created.id), { key: second.secret, body: { name: 'By second' } }))
    expect(updated).toMatchObject({ created_by: fresh.org.liveKeyId, created_at: fresh.created.created_at, version: 2 })
  })
})
