/**
 * Optimistic concurrency (contract §4, §8): every write accepts If-Match `"n"`, `W/"n"`, `*` and
 * lists of these; anything else, or a version that differs, is 412 `precondition_failed` and
 * nothing changes. Real concurrent writes over HTTP: one of two with the same If-Match wins.
 */
import { describe, expect, it } from 'vitest'
import { api, type Reply, stepConfigPath, workflowPath } from './client.js'
import { expectError, expectWorkflow } from './expect.js'
import { getWorkflow, UNKNOWN_WORKFLOW_ID, useFreshWorkflow, versionsOf } from './fixtures.js'

const fresh = useFreshWorkflow()

type Write = (id: string, headers: Record<string, string>) => Promise<Reply>
const patch = (body: unknown, headers: Record<string, string> = {}, id = fresh.created.id) =>
  api('PATCH', workflowPath(id), { key: fresh.org.live, body, headers })
const patchConfig: Write = (id, headers) =>
  api('PATCH', stepConfigPath(id, 'FACE_LIVENESS'), { key: fresh.org.live, body: { config: { confidence_threshold: 33 } }, headers })
const del: Write = (id, headers) => api('DELETE', workflowPath(id), { key: fresh.org.live, headers })

const WRITES: [string, Write][] = [
  ['PATCH', (id, headers) => patch({ name: 'Renamed' }, headers, id)],
  ['PATCH step config', patchConfig],
  ['DELETE', del],
]

describe.each(WRITES)('If-Match on %s', (_, write) => {
  it.each(['"1"', 'W/"1"', '*', '"7", "1"', '"7","1"', 'W/"7", W/"1"', ' "1" '])(
    'goes ahead with If-Match: %s (version + 1)',
    async (value) => {
      const reply = await write(fresh.created.id, { 'if-match': value })
      expect(expectWorkflow(reply).version).toBe(2)
      expect(reply.headers.get('etag')).toBe('"2"')
    },
  )

  it.each(['"2"', '"0"', '1', 'W/1', '"1', 'garbage', '"7", "8"', 'w/"1"', '"01"', '"1", garbage'])(
    'is 412 with If-Match: %s, changing nothing',
    async (value) => {
      expectError(await write(fresh.created.id, { 'if-match': value }), 412, 'precondition_failed')
      expect(await getWorkflow(fresh.org.live, fresh.created.id)).toEqual(fresh.created)
      expect(await versionsOf(fresh.org.live, fresh.created.id)).toHaveLength(1)
    },
  )

  it('is 404, not 412, for an unknown workflow', async () => {
    expectError(await write(UNKNOWN_WORKFLOW_ID, { 'if-match': '"9"' }), 404, 'not_found')
  })
})

describe('If-Match', () => {
  it("is 412 for a stale ETag after another write, and the other writer's change stays", async () => {
    const etag = (await api('GET', workflowPath(fresh.created.id), { key: fresh.org.live })).headers.get('etag') ?? ''
    expect(expectWorkflow(await patch({ name: 'First writer' }, { 'if-match': etag })).version).toBe(2)
    expectError(await patch({ name: 'Second writer' }, { 'if-match': etag }), 412, 'precondition_failed')
    expect((await getWorkflow(fresh.org.live, fresh.created.id)).name).toBe('First writer')
  })

  it('is 409, not 412, for an archived workflow with a stale If-Match', async () => {
    expectWorkflow(await del(fresh.created.id, {}))
    expectError(await patch({ name: 'x' }, { 'if-match': '"1"' }), 409, 'conflict')
    expectError(await patchConfig(fresh.created.id, { 'if-match': '"1"' }), 409, 'conflict')
  })

  it('is 400, not 412, for an invalid body with a stale If-Match', async () => {
    expectError(await patch({ name: '' }, { 'if-match': '"9"' }), 400, 'invalid_request')
    const badConfig = { config: { confidence_threshold: 0 } }
    expectError(
      await api('PATCH', stepConfigPath(fresh.created.id, 'FACE_LIVENESS'), {
        key: fresh.org.live,
        body: badConfig,
        headers: { 'if-match': '"9"' },
      }),
      400,
      'invalid_request',
    )
  })

  it('lets exactly one of two concurrent writes with the same If-Match through; the other is 412', async () => {
    const [a, b] = await Promise.all([
      patch({ name: 'Writer A' }, { 'if-match': '"1"' }),
      patch({ name: 'Writer B' }, { 'if-match': '"1"' }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 412])
    const winner = a.status === 200 ? 'Writer A' : 'Writer B'
    expect(await getWorkflow(fresh.org.live, fresh.created.id)).toMatchObject({ name: winner, version: 2 })
    expect(await versionsOf(fresh.org.live, fresh.created.id)).toHaveLength(2)
  })

  it('applies both of two concurrent writes without If-Match, one version each', async () => {
    const [a, b] = await Promise.all([patch({ name: 'Renamed' }), patchConfig(fresh.created.id, {})])
    expect([a.status, b.status]).toEqual([200, 200])
    const now = await getWorkflow(fresh.org.live, fresh.created.id)
    expect(now.version).toBe(3)
    expect(now.name).toBe('Renamed')
    expect(now.steps[1]).toEqual({ id: 'FACE_LIVENESS', config: { confidence_threshold: 33 } })
    expect((await versionsOf(fresh.org.live, fresh.created.id)).map((v) => v.version)).toEqual([3, 2, 1])
  })

  // Writes without If-Match merge onto the latest version (contract §4); 409 is only for archived
  // workflows and idempotency keys in flight (§5), so no concurrent writer is refused.
  it('gives ten concurrent renames without If-Match ten versions, none refused', async () => {
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => patch({ name: `Writer ${i}` })))
    expect(replies.map((r) => (r.status === 200 ? 200 : `${r.status} ${r.text}`))).toEqual(Array(10).fill(200))
    expect(replies.map((r) => r.body.workflow.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(await versionsOf(fresh.org.live, fresh.created.id)).toHaveLength(11)
  })

  it('gives ten concurrent step config changes without If-Match ten versions, none refused', async () => {
    const send = (i: number) =>
      api('PATCH', stepConfigPath(fresh.created.id, 'FACE_LIVENESS'), {
        key: fresh.org.live,
        body: { config: { confidence_threshold: 40 + i } },
      })
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => send(i)))
    expect(replies.map((r) => (r.status === 200 ? 200 : `${r.status} ${r.text}`))).toEqual(Array(10).fill(200))
    expect((await getWorkflow(fresh.org.live, fresh.created.id)).version).toBe(11)
  })
})
