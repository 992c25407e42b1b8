/**
 * What the conformance suite (packages/conformance) cannot see over HTTP, through `app.request()`
 * over a real in-memory store with a clock the test moves (contract §4, §8): the exact timestamps
 * the clock gives records, summaries and versions; the 24-hour life of an Idempotency-Key; that
 * a tampered cursor logs no error; and a 1 MB streamed body refused at 64 KiB (over real HTTP the
 * server drops the connection mid-upload, and the client's next request on that pooled socket fails).
 */
import type { Workflow } from '@wf/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../../app.js'
import { FIVE_STEPS } from '../../test-support/harness.js'
import { createWorkflow, expectError, getWorkflow, readJson } from '../../test-support/helpers.js'
import { expectWorkflow, START, useWorkflowApi } from '../../test-support/workflow-api.js'

const api = useWorkflowApi()
const { post, patch, patchConfig, del, list, versionsOf } = api

// ---------------------------------------------------------------------------------------------
describe('timestamps come from the clock (§4)', () => {
  it('stamps created_at and updated_at of a new workflow, and of its summary, with the time of the request', async () => {
    const workflow = await expectWorkflow(await post(FIVE_STEPS), 201)
    expect(workflow).toMatchObject({ created_at: START, updated_at: START })
    expect((await list()).workflows[0]).toMatchObject({ id: workflow.id, created_at: START, updated_at: START })
  })

  describe('on a change', () => {
    let created: Workflow
    beforeEach(async () => {
      created = await createWorkflow(api.t, api.org.live)
    })

    it('PATCH moves updated_at to the time of the change and keeps the rest', async () => {
      api.t.advance(60_000)
      const updated = await expectWorkflow(await patch(created.id, { name: '  Renamed  ' }))
      expect(updated).toEqual({ ...created, name: 'Renamed', version: 2, updated_at: '2026-11-26T09:01:00.000Z' })
      expect(await getWorkflow(api.t, api.org.live, created.id)).toEqual(updated)
    })

    it('DELETE moves updated_at to the time of the archive; archiving again a second later changes nothing', async () => {
      api.t.advance(1000)
      const archived = await expectWorkflow(await del(created.id))
      expect(archived).toEqual({ ...created, status: 'archived', version: 2, updated_at: '2026-11-26T09:00:01.000Z' })
      api.t.advance(1000)
      expect(await expectWorkflow(await del(created.id))).toEqual(archived)
      expect(await expectWorkflow(await del(created.id, { 'if-match': '"1"' }))).toEqual(archived)
      expect(await getWorkflow(api.t, api.org.live, created.id)).toEqual(archived)
      expect(await versionsOf(created.id)).toHaveLength(2)
    })

    it('stamps each version with the time of its write, and /versions/1 keeps its time', async () => {
      api.t.advance(1000)
      await expectWorkflow(await patch(created.id, { name: 'By second' }))
      api.t.advance(1000)
      await expectWorkflow(await patchConfig(created.id, 'FACE_LIVENESS', { config: { confidence_threshold: 90 } }))
      api.t.advance(1000)
      await expectWorkflow(await del(created.id))
      const versions = await versionsOf(created.id)
      expect(versions.map((v) => [v.version, v.created_at])).toEqual([
        [4, '2026-11-26T09:00:03.000Z'],
        [3, '2026-11-26T09:00:02.000Z'],
        [2, '2026-11-26T09:00:01.000Z'],
        [1, START],
      ])
      const first = await api.t.request('GET', `/v1/workflows/${created.id}/versions/1`, { key: api.org.live })
      expect(first.status).toBe(200)
      expect((await readJson(first)).version.created_at).toBe(START)
    })
  })
})

// ---------------------------------------------------------------------------------------------
describe('Idempotency-Key expiry (§4)', () => {
  const KEY = 'create-onboarding-0001'

  // §4: the stored response is kept for 24 hours; after that the key may be used afresh.
  it('replays the stored bytes within 24 hours and creates a new workflow with the key after 24 hours', async () => {
    const firstRes = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    const firstText = await firstRes.clone().text()
    const first = await expectWorkflow(firstRes, 201)
    api.t.advance(24 * 60 * 60 * 1000 - 1000)
    const within = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    expect(within.headers.get('idempotent-replayed')).toBe('true')
    const withinText = await within.text()
    expect(withinText).toBe(firstText)
    expect(JSON.parse(withinText).workflow.id).toBe(first.id)

    api.t.advance(2000)
    const after = await post({ ...FIVE_STEPS, name: 'A new day' }, { 'idempotency-key': KEY })
    const fresh = await expectWorkflow(after.clone(), 201)
    expect(after.headers.get('idempotent-replayed')).toBeNull()
    expect(fresh.id).not.toBe(first.id)
    expect((await list()).workflows).toHaveLength(2)
    // …and the key now replays the new workflow.
    const replay = await post({ ...FIVE_STEPS, name: 'A new day' }, { 'idempotency-key': KEY })
    expect((await readJson(replay)).workflow.id).toBe(fresh.id)
  })
})

// ---------------------------------------------------------------------------------------------
describe('logs', () => {
  // §8: a cursor is opaque; a tampered one is 400 (conformance list.test.ts), and never logged as an error.
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
  ])('a tampered cursor (%s) logs no error', async (_, cursor) => {
    for (let i = 0; i < 2; i++) await createWorkflow(api.t, api.org.live, { name: `W${i}`, steps: [{ id: 'PEP_SANCTIONS' }] })
    const res = await api.t.request('GET', `/v1/workflows?limit=1&cursor=${encodeURIComponent(cursor)}`, { key: api.org.live })
    expect(res.status).toBe(400)
    expect(api.t.logs.filter((l) => l.level === 'error')).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
describe('the 64 KiB limit on a streamed body (§5 413)', () => {
  it('refuses a 1 MB body streamed without Content-Length with 413', async () => {
    const bytes = new TextEncoder().encode(' '.repeat(1_000_000))
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.slice(i, i + 4096))
        controller.close()
      },
    })
    const res = await createApp(api.t.deps).request('/v1/workflows', {
      method: 'POST',
      headers: { 'x-api-key': api.org.live, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    await expectError(res, 413, 'payload_too_large')
  })
})
