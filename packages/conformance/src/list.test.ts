/**
 * GET /v1/workflows (contract §4, §8): summaries newest first, limit / status / cursor, and a cursor
 * walk that returns every workflow that existed when it began exactly once, while more are created.
 * Each test has its own organization, so it sees only its own workflows.
 */
import { WorkflowSummary } from '@wf/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { api, type Json, newOrg, type Org, workflowPath } from './client.js'
import { expectError, expectRateLimitHeaders, expectSchema } from './expect.js'
import { createWorkflow, FIVE_STEPS, ISO_MS, list } from './fixtures.js'

let org: Org
beforeEach(async () => {
  org = await newOrg()
})

const createMany = async (n: number, key = org.live): Promise<string[]> => {
  const ids: string[] = []
  for (let i = 0; i < n; i++) ids.push((await createWorkflow(key, { name: `W${i}`, steps: [{ id: 'PEP_SANCTIONS' }] })).id)
  return ids
}
const idsOf = (page: Json): string[] => page.workflows.map((w: Json) => w.id)
const get = (query: string) => api('GET', `/v1/workflows${query}`, { key: org.live })

describe('GET /v1/workflows — list', () => {
  it('lists summaries newest first, only of the caller organization', async () => {
    const ids = await createMany(3)
    const other = await newOrg('Other')
    await createMany(2, other.live)
    const reply = await get('')
    expect(reply.status).toBe(200)
    expectRateLimitHeaders(reply)
    expect(Object.keys(reply.body)).toEqual(['workflows', 'next_cursor'])
    expect(idsOf(reply.body)).toEqual([...ids].reverse())
    expect(reply.body.next_cursor).toBeNull()
    for (const summary of reply.body.workflows) expectSchema(WorkflowSummary, summary, 'summary')
    expect(reply.body.workflows[0]).toEqual({
      id: ids[2],
      name: 'W2',
      status: 'active',
      version: 1,
      steps: ['PEP_SANCTIONS'],
      created_at: expect.stringMatching(ISO_MS),
      updated_at: expect.stringMatching(ISO_MS),
    })
  })

  it('is empty for a new organization', async () => {
    expect(await list(org.live)).toEqual({ workflows: [], next_cursor: null })
  })

  it('lists step ids in order in each summary, and the current version and name', async () => {
    const created = await createWorkflow(org.live)
    await api('PATCH', workflowPath(created.id), { key: org.live, body: { name: 'Renamed' } })
    const [summary] = (await list(org.live)).workflows
    expect(summary).toMatchObject({ name: 'Renamed', version: 2, steps: FIVE_STEPS.steps.map((s) => s.id) })
  })

  it('returns every workflow without a limit', async () => {
    const ids = await createMany(25)
    const page = await list(org.live)
    expect(idsOf(page)).toEqual([...ids].reverse())
    expect(page.next_cursor).toBeNull()
  })

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
    const reply = await get(`?limit=${limit}`)
    if (ok) {
      expect(reply.status).toBe(200)
      expect(reply.body.workflows).toHaveLength(Math.min(3, Number(limit)))
      expect(reply.body.next_cursor === null).toBe(Number(limit) >= 3)
    } else {
      expect(expectError(reply, 400, 'invalid_request').details).toEqual([{ path: '/query/limit', message: expect.any(String) }])
    }
  })

  it('filters by status; absent means both', async () => {
    const [a, b, c] = await createMany(3)
    await api('DELETE', workflowPath(b ?? ''), { key: org.live })
    expect(idsOf(await list(org.live))).toEqual([c, b, a])
    expect(idsOf(await list(org.live, '?status=active'))).toEqual([c, a])
    expect(idsOf(await list(org.live, '?status=archived'))).toEqual([b])
  })

  it.each(['ARCHIVED', 'deleted', '', 'active,archived'])('status=%s is 400 at /query/status', async (status) => {
    const error = expectError(await get(`?status=${encodeURIComponent(status)}`), 400, 'invalid_request')
    expect(error.details).toEqual([{ path: '/query/status', message: expect.any(String) }])
  })

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
  ])('a tampered cursor (%s) is 400 at /query/cursor, never a 500', async (_, cursor) => {
    await createMany(2)
    const error = expectError(await get(`?limit=1&cursor=${encodeURIComponent(cursor)}`), 400, 'invalid_request')
    expect(error.details).toEqual([{ path: '/query/cursor', message: expect.any(String) }])
  })

  it('a real cursor with one character changed is 400 or a valid page, never a 500', async () => {
    await createMany(3)
    const cursor: string = (await list(org.live, '?limit=1')).next_cursor
    for (let i = 0; i < cursor.length; i += Math.max(1, Math.floor(cursor.length / 8))) {
      const flipped = cursor.slice(0, i) + (cursor[i] === 'A' ? 'B' : 'A') + cursor.slice(i + 1)
      const reply = await get(`?limit=1&cursor=${encodeURIComponent(flipped)}`)
      expect([200, 400], reply.text).toContain(reply.status)
      if (reply.status === 400) expectError(reply, 400, 'invalid_request')
    }
  })

  it('reports every bad query parameter at once', async () => {
    const error = expectError(await get('?limit=0&status=gone&cursor=!'), 400, 'invalid_request')
    expect(error.details?.map((d) => d.path).sort()).toEqual(['/query/cursor', '/query/limit', '/query/status'])
  })

  it('ignores unknown query parameters', async () => {
    await createMany(3)
    expect(await list(org.live, '?limit=2&sort=asc&foo=bar&LIMIT=1000')).toEqual(await list(org.live, '?limit=2'))
  })

  it('ends a walk with next_cursor null when the last page is exactly full', async () => {
    const ids = await createMany(4)
    const first = await list(org.live, '?limit=2')
    expect(first.next_cursor).toEqual(expect.any(String))
    const second = await list(org.live, `?limit=2&cursor=${encodeURIComponent(first.next_cursor)}`)
    expect(idsOf(second)).toEqual([ids[1], ids[0]])
    expect(second.next_cursor).toBeNull()
  })

  it('walks 15 workflows two at a time, each exactly once, while new ones are created between pages', async () => {
    const before = await createMany(15)
    const seen: string[] = []
    const createdDuring: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: Json = await list(org.live, `?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)
      expect(page.workflows.length).toBeLessThanOrEqual(2)
      seen.push(...idsOf(page))
      cursor = page.next_cursor
      createdDuring.push(...(await createMany(1)))
      pages++
      expect(pages).toBeLessThan(20)
    } while (cursor !== null)
    expect(seen).toEqual([...before].reverse())
    expect(seen.filter((id) => createdDuring.includes(id))).toEqual([])
    expect(pages).toBe(8)
    // The new ones are all there for the next walk, newest first.
    expect(idsOf(await list(org.live))).toEqual([...before, ...createdDuring].reverse())
  })

  it('keeps a status filter across pages', async () => {
    const ids = await createMany(5)
    for (const id of [ids[0], ids[2], ids[4]]) await api('DELETE', workflowPath(id ?? ''), { key: org.live })
    const first = await list(org.live, '?limit=2&status=archived')
    const second = await list(org.live, `?limit=2&status=archived&cursor=${encodeURIComponent(first.next_cursor)}`)
    expect([...idsOf(first), ...idsOf(second)]).toEqual([ids[4], ids[2], ids[0]])
    expect(second.next_cursor).toBeNull()
  })

  it("a cursor from one organization does not reveal another's workflows", async () => {
    await createMany(3)
    const cursor = (await list(org.live, '?limit=1')).next_cursor
    const other = await newOrg('Other')
    const reply = await api('GET', `/v1/workflows?limit=10&cursor=${encodeURIComponent(cursor)}`, { key: other.live })
    if (reply.status === 200) expect(reply.body.workflows).toEqual([])
    else expectError(reply, 400, 'invalid_request')
  })
})
