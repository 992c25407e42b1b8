/**
 * DELETE /v1/workflows/{id} — archive (contract §4, §8): status archived, version + 1, still
 * readable; archiving again is 200 and changes nothing; every PATCH of an archived workflow is 409.
 */
import { describe, expect, it } from 'vitest'
import { api, type Reply, stepConfigPath, workflowPath } from './client.js'
import { expectError, expectWorkflow } from './expect.js'
import { getWorkflow, UNKNOWN_WORKFLOW_ID, useFreshWorkflow, versionsOf } from './fixtures.js'

const fresh = useFreshWorkflow()

const del = (headers: Record<string, string> = {}, id = fresh.created.id) =>
  api('DELETE', workflowPath(id), { key: fresh.org.live, headers })
const patch = (body: unknown) => api('PATCH', workflowPath(fresh.created.id), { key: fresh.org.live, body })
const patchConfig = (step: string, body: unknown) => api('PATCH', stepConfigPath(fresh.created.id, step), { key: fresh.org.live, body })

describe('DELETE /v1/workflows/{id} — archive', () => {
  it('archives: status archived, version + 1, ETag follows, still readable', async () => {
    const reply = await del()
    const archived = expectWorkflow(reply)
    expect(archived).toEqual({ ...fresh.created, status: 'archived', version: 2, updated_at: expect.any(String) })
    expect(Date.parse(archived.updated_at)).toBeGreaterThanOrEqual(Date.parse(fresh.created.updated_at))
    expect(reply.headers.get('etag')).toBe('"2"')
    expect(await getWorkflow(fresh.org.live, fresh.created.id)).toEqual(archived)
  })

  it('is 200 and changes nothing when archived again, whatever If-Match says', async () => {
    const first = await del()
    const archived = expectWorkflow(first)
    for (const headers of [{}, { 'if-match': '"1"' }, { 'if-match': 'garbage' }] as Record<string, string>[]) {
      const again = await del(headers)
      expect(expectWorkflow(again)).toEqual(archived)
      expect(again.text).toBe(first.text)
    }
    expect(await versionsOf(fresh.org.live, fresh.created.id)).toHaveLength(2)
  })

  it('ignores a body on DELETE', async () => {
    const reply = await api('DELETE', workflowPath(fresh.created.id), {
      key: fresh.org.live,
      body: 'not json',
      headers: { 'content-type': 'text/plain' },
    })
    expect(expectWorkflow(reply).status).toBe('archived')
  })

  it('is 404 for an unknown workflow', async () => {
    expectError(await del({}, UNKNOWN_WORKFLOW_ID), 404, 'not_found')
  })

  it.each<[string, () => Promise<Reply>]>([
    ['a rename', () => patch({ name: 'Renamed' })],
    ['an empty PATCH body', () => api('PATCH', workflowPath(fresh.created.id), { key: fresh.org.live })],
    ['PATCH {}', () => patch({})],
    ['a no-op PATCH (same name)', () => patch({ name: 'Standard onboarding' })],
    ['a step config change', () => patchConfig('FACE_LIVENESS', { config: { confidence_threshold: 20 } })],
    ['a no-op step config PATCH', () => patchConfig('FACE_LIVENESS', { config: {} })],
  ])('is 409 conflict for %s of an archived workflow, changing nothing', async (_, send) => {
    const archived = expectWorkflow(await del())
    expectError(await send(), 409, 'conflict')
    expect(await getWorkflow(fresh.org.live, fresh.created.id)).toEqual(archived)
  })

  it('is 400, not 409, for an invalid body on an archived workflow', async () => {
    expectWorkflow(await del())
    expectError(await patch({ steps: [] }), 400, 'invalid_request')
  })
})
