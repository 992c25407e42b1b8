/**
 * GET /v1/workflows through `app.request()` over a real in-memory store (contract §4, §8): the
 * summaries, the limit/status/cursor query parameters and cursor pagination.
 */
import { WorkflowSummary } from '@wf/core'
import { describe, expect, it } from 'vitest'
import { FIVE_STEPS } from '../test-support/harness.js'
import { type Json, createWorkflow, expectError, readJson } from '../test-support/helpers.js'
import { expectSchema } from '../test-support/schemas.js'
import { START, useWorkflowApi } from '../test-support/workflow-api.js'

const api = useWorkflowApi()
const { del, list } = api

// ---------------------------------------------------------------------------------------------
describe('GET /v1/workflows — list (§4, §8 pagination)', () => {
  const createMany = async (n: number, key = api.org.live): Promise<string[]> => {
    const ids: string[] = []
    for (let i = 0; i < n; i++) ids.push((await createWorkflow(api.t, key, { name: `W${i}`, steps: [{ id: 'PEP_SANCTIONS' }] })).id)
    return ids
  }

  it('lists summaries newest first, only of the caller organisation', async () => {
    const ids = await createMany(3)
    const other = await api.t.newOrg('Other')
    await createMany(2, other.live)
    const { workflows, next_cursor } = await list()
    expect(workflows.map((w: Json) => w.id)).toEqual([...ids].reverse())
    expect(next_cursor).toBeNull()
    for (const summary of workflows) expectSchema(WorkflowSummary, summary, 'summary')
    expect(workflows[0]).toEqual({
      id: ids[2],
      name: 'W2',
      status: 'active',
      version: 1,
      steps: ['PEP_SANCTIONS'],
      created_at: START,
      updated_at: START,
    })
  })

  it('lists step ids in order in each summary', async () => {
    await createWorkflow(api.t, api.org.live)
    expect((await list()).workflows[0].steps).toEqual(FIVE_STEPS.steps.map((s) => s.id))
  })

  // §4: without parameters the whole list (default limit 1000), for clients of the compatible API.
  it('returns every workflow without a limit', async () => {
    const ids = await createMany(25)
    const { workflows, next_cursor } = await list()
    expect(workflows.map((w: Json) => w.id)).toEqual([...ids].reverse())
    expect(next_cursor).toBeNull()
  })

  // §4: limit 1–1000; anything else is 400 at /query/limit.
  it.each([
    ['1', true],
    ['2', true],
    ['999', true],
    ['1000', true],
    ['0', false],
    ['1001', false],
    ['-1', false],
    ['1.5', false],
    ['abc', false],
    ['', false],
    ['1e2', false],
  ] as const)('limit=%s is accepted: %s', async (limit, ok) => {
    await createMany(3)
    const res = await api.t.request('GET', `/v1/workflows?limit=${limit}`, { key: api.org.live })
    if (ok) {
      const body = await readJson(res)
      expect(res.status).toBe(200)
      expect(body.workflows).toHaveLength(Math.min(3, Number(limit)))
      expect(body.next_cursor === null).toBe(Number(limit) >= 3)
    } else {
      const error = await expectError(res, 400, 'invalid_request')
      expect(error.details).toEqual([{ path: '/query/limit', message: expect.any(String) }])
    }
  })

  // §4: status filter; absent means both.
  it('filters by status', async () => {
    const [a, b, c] = await createMany(3)
    await del(b ?? '')
    expect((await list()).workflows.map((w: Json) => w.id)).toEqual([c, b, a])
    expect((await list('?status=active')).workflows.map((w: Json) => w.id)).toEqual([c, a])
    expect((await list('?status=archived')).workflows.map((w: Json) => w.id)).toEqual([b])
  })

  it.each(['ARCHIVED', 'deleted', '', 'active,archived'])('status=%s is 400 at /query/status', async (status) => {
    const error = await expectError(await api.t.request('GET', `/v1/workflows?status=${encodeURIComponent(status)}`, { key: api.org.live }), 400, 'invalid_request')
    expect(error.details).toEqual([{ path: '/query/status', message: expect.any(String) }])
  })

  // §8: a cursor is opaque; a tampered one is 400, never a 500.
  const b64url = (text: string) => Buffer.from(text).toString('base64url')
  it.each([
    ['a random string', 'not-a-cursor'],
    ['characters outside base64url', 'abc$%^'],
    ['base64 of garbage', b64url('\u0000\u00ff garbage')],
    ['base64 of a non-workflow id', b64url('org_01KC0000000000000000000000')],
    ['base64 of a lower-case id', b64url('wf_01kc0000000000000000000000')],
    ['base64 with padding', Buffer.from('wf_01KC00000000000000000000').toString('base64')],
    ['a single character', 'a'],
    ['very long', 'A'.repeat(2000)],
    ['empty', ''],
  ])('a tampered cursor (%s) is 400 at /query/cursor', async (_, cursor) => {
    await createMany(2)
    const res = await api.t.request('GET', `/v1/workflows?limit=1&cursor=${encodeURIComponent(cursor)}`, { key: api.org.live })
    const error = await expectError(res, 400, 'invalid_request')
    expect(error.details).toEqual([{ path: '/query/cursor', message: expect.any(String) }])
    expect(api.t.logs.filter((l) => l.level === 'error')).toEqual([])
  })

  it('reports every bad query parameter at once', async () => {
    const res = await api.t.request('GET', '/v1/workflows?limit=0&status=gone&cursor=!', { key: api.org.live })
    const error = await expectError(res, 400, 'invalid_request')
    expect(error.details?.map((d) => d.path).sort()).toEqual(['/query/cursor', '/query/limit', '/query/status'])
  })

  // §8: unknown query parameters are ignored.
  it('ignores unknown query parameters', async () => {
    await createMany(3)
    const plain = await list('?limit=2')
    expect(await list('?limit=2&sort=asc&foo=bar&LIMIT=1000')).toEqual(plain)
  })

  it('ends a walk with next_cursor null when the last page is exactly full', async () => {
    const ids = await createMany(4)
    const first = await list('?limit=2')
    expect(first.next_cursor).toEqual(expect.any(String))
    const second = await list(`?limit=2&cursor=${first.next_cursor}`)
    expect(second.workflows.map((w: Json) => w.id)).toEqual([ids[1], ids[0]])
    expect(second.next_cursor).toBeNull()
  })

  // §8: a walk returns every workflow that existed when it began exactly once; newer ones are not.
  it('walks ~15 workflows two at a time, each once, while new ones are created between pages', async () => {
    const before = await createMany(15)
    const seen: string[] = []
    const createdDuring: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: Json = await list(`?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`)
      expect(page.workflows.length).toBeLessThanOrEqual(2)
      seen.push(...page.workflows.map((w: Json) => w.id))
      cursor = page.next_cursor
      createdDuring.push(...(await createMany(1)))
      pages++
      expect(pages).toBeLessThan(20)
    } while (cursor !== null)
    expect(seen).toEqual([...before].reverse())
    expect(seen.filter((id) => createdDuring.includes(id))).toEqual([])
    expect(pages).toBe(8)
  })

  it('keeps a status filter across pages', async () => {
    const ids = await createMany(5)
    for (const id of [ids[0], ids[2], ids[4]]) await del(id ?? '')
    const first = await list('?limit=2&status=archived')
    const second = await list(`?limit=2&status=archived&cursor=${first.next_cursor}`)
    expect([...first.workflows, ...second.workflows].map((w: Json) => w.id)).toEqual([ids[4], ids[2], ids[0]])
    expect(second.next_cursor).toBeNull()
  })
})
