/**
 * `wf.workflows` on a scripted fetch: what each method sends, what it returns, how a create stays
 * one create across retries, and how a change whose answer was lost is recognised (own-write.ts).
 */
import type { Workflow, WorkflowVersion } from '@wf/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { errorAnswer, json, lost, type RecordedCall, type Step, scriptedFetch } from '../test/scripted-fetch.js'
import { createClient } from './client.js'
import { ConflictError, PreconditionFailedError, WfConnectionError } from './errors.js'

const BASE = 'http://wf.test'
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const STEPS_V1 = [
  { id: 'ID_VERIFICATION', config: { minimum_age: 18, maximum_age: 120, enable_fraud_analysis: false, escalation_type: 'none' } },
  { id: 'FACE_LIVENESS', config: { confidence_threshold: 80 } },
] as unknown as Workflow['steps']

const record = (over: Partial<Workflow> = {}): Workflow => ({
  id: 'wf_1',
  name: 'Onboarding',
  status: 'active',
  organization_id: 'org_1',
  version: 1,
  created_by: 'key_creator',
  created_at: '2026-11-29T10:00:00.000Z',
  updated_at: '2026-11-29T10:00:00.000Z',
  steps: STEPS_V1,
  ...over,
})
const versionOf = (w: Workflow, created_by = 'key_writer'): WorkflowVersion => ({
  version: w.version,
  name: w.name,
  status: w.status,
  steps: w.steps,
  created_by,
  created_at: w.updated_at,
})

function client(...steps: Step[]) {
  const f = scriptedFetch(...steps)
  return { ...f, wf: createClient({ baseUrl: BASE, apiKey: 'wf_live_k', fetch: f.fetch }) }
}

/** Answers GET /versions/{n} from the given versions (404 for others), and GET of the workflow with `current`. */
const history =
  (versions: WorkflowVersion[], current: Workflow): Step =>
  (call: RecordedCall) => {
    const n = /\/versions\/(\d+)$/.exec(call.url)?.[1]
    if (n === undefined) return json(200, { workflow: current })()
    const v = versions.find((x) => x.version === Number(n))
    return v ? json(200, { version: v })() : errorAnswer(404, 'not_found')()
  }

beforeEach(() => {
  vi.useFakeTimers()
  vi.spyOn(Math, 'random').mockReturnValue(0)
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('create', () => {
  it('sends a generated Idempotency-Key (a v4 UUID), the same on every retry', async () => {
    const created = record()
    const { wf, calls } = client(lost(), errorAnswer(503, 'internal'), json(201, { workflow: created }))
    const p = wf.workflows.create({ name: 'Onboarding', steps: [{ id: 'ID_VERIFICATION' }] })
    await vi.runAllTimersAsync()
    await expect(p).resolves.toEqual(created)
    expect(calls.map((c) => [c.method, c.url])).toEqual(Array(3).fill(['POST', `${BASE}/v1/workflows`]))
    const keys = calls.map((c) => c.headers['idempotency-key'])
    expect(keys[0]).toMatch(UUID_V4)
    expect(new Set(keys).size).toBe(1)
    expect(calls[0]!.body).toEqual({ name: 'Onboarding', steps: [{ id: 'ID_VERIFICATION' }] })
  })

  it('each create gets its own key; the caller may give one', async () => {
    const { wf, calls } = client(json(201, { workflow: record() }), json(201, { workflow: record() }), json(201, { workflow: record() }))
    await wf.workflows.create({ name: 'a', steps: [] })
    await wf.workflows.create({ name: 'a', steps: [] })
    await wf.workflows.create({ name: 'a', steps: [] }, { idempotencyKey: 'order-42' })
    expect(calls[0]!.headers['idempotency-key']).not.toBe(calls[1]!.headers['idempotency-key'])
    expect(calls[2]!.headers['idempotency-key']).toBe('order-42')
  })

  it('a 409 (its own earlier attempt still in progress) is asked again; elsewhere 409 is final', async () => {
    const { wf, calls } = client(lost(), errorAnswer(409, 'conflict'), json(201, { workflow: record() }))
    const p = wf.workflows.create({ name: 'a', steps: [] })
    await vi.runAllTimersAsync()
    await expect(p).resolves.toMatchObject({ id: 'wf_1' })
    expect(calls).toHaveLength(3)

    const archived = client(errorAnswer(409, 'conflict'), json(200, {}))
    await expect(archived.wf.workflows.update('wf_1', { name: 'b' }, { ifVersion: 2 })).rejects.toBeInstanceOf(ConflictError)
    expect(archived.calls).toHaveLength(1)
  })
})

describe('reads', () => {
  it('retrieve, versions and version read their paths, ids encoded', async () => {
    const w = record()
    const { wf, calls } = client(json(200, { workflow: w }), json(200, { versions: [versionOf(w)] }), json(200, { version: versionOf(w) }))
    expect(await wf.workflows.retrieve('wf_1/../x')).toEqual(w)
    expect(await wf.workflows.versions('wf_1')).toEqual([versionOf(w)])
    expect(await wf.workflows.version('wf_1', 1)).toEqual(versionOf(w))
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      `GET ${BASE}/v1/workflows/wf_1%2F..%2Fx`,
      `GET ${BASE}/v1/workflows/wf_1/versions`,
      `GET ${BASE}/v1/workflows/wf_1/versions/1`,
    ])
  })

  it('list sends only the parameters given and returns { data, nextCursor }', async () => {
    const summary = { id: 'wf_1', name: 'a', status: 'active', version: 1, steps: [], created_at: 'x', updated_at: 'x' }
    const { wf, calls } = client(json(200, { workflows: [summary], next_cursor: 'c1' }), json(200, { workflows: [], next_cursor: null }))
    expect(await wf.workflows.list()).toEqual({ data: [summary], nextCursor: 'c1' })
    expect(await wf.workflows.list({ status: 'archived', limit: 5, cursor: 'c1' })).toEqual({ data: [], nextCursor: null })
    expect(calls.map((c) => c.url)).toEqual([`${BASE}/v1/workflows`, `${BASE}/v1/workflows?status=archived&limit=5&cursor=c1`])
  })

  it('listAll follows next_cursor to the end, each page of pageSize', async () => {
    const s = (id: string) => ({ id, name: id, status: 'active', version: 1, steps: [], created_at: 'x', updated_at: 'x' })
    const { wf, calls } = client(
      json(200, { workflows: [s('wf_3'), s('wf_2')], next_cursor: 'after-2' }),
      json(200, { workflows: [s('wf_1')], next_cursor: null }),
    )
    const ids: string[] = []
    for await (const w of wf.workflows.listAll({ status: 'active', pageSize: 2 })) ids.push(w.id)
    expect(ids).toEqual(['wf_3', 'wf_2', 'wf_1'])
    expect(calls.map((c) => c.url)).toEqual([
      `${BASE}/v1/workflows?status=active&limit=2`,
      `${BASE}/v1/workflows?status=active&limit=2&cursor=after-2`,
    ])
  })

  it('listAll pages by 100 unless told', async () => {
    const { wf, calls } = client(json(200, { workflows: [], next_cursor: null }))
    for await (const _ of wf.workflows.listAll()) expect.unreachable()
    expect(calls[0]!.url).toBe(`${BASE}/v1/workflows?limit=100`)
  })
})

describe('changes', () => {
  it('update and updateStepConfig send If-Match only with ifVersion', async () => {
    const { wf, calls } = client(json(200, { workflow: record() }), json(200, { workflow: record() }), json(200, { workflow: record() }))
    await wf.workflows.update('wf_1', { name: 'x' })
    await wf.workflows.update('wf_1', { name: 'x' }, { ifVersion: 7 })
    await wf.workflows.updateStepConfig('wf_1', 'FACE_LIVENESS', { confidence_threshold: 90 }, { ifVersion: 8 })
    expect(calls.map((c) => [c.method, c.url, c.headers['if-match'], c.body])).toEqual([
      ['PATCH', `${BASE}/v1/workflows/wf_1`, undefined, { name: 'x' }],
      ['PATCH', `${BASE}/v1/workflows/wf_1`, '"7"', { name: 'x' }],
      ['PATCH', `${BASE}/v1/workflows/wf_1/steps/FACE_LIVENESS/config`, '"8"', { config: { confidence_threshold: 90 } }],
    ])
  })

  it('an update without ifVersion is not retried after a lost answer: it may have happened', async () => {
    const { wf, calls } = client(lost(), json(200, { workflow: record() }))
    await expect(wf.workflows.update('wf_1', { name: 'x' })).rejects.toBeInstanceOf(WfConnectionError)
    expect(calls).toHaveLength(1)
  })

  it('archive is retried without ifVersion: archiving twice is archiving once', async () => {
    const archived = record({ status: 'archived', version: 2 })
    const { wf, calls } = client(lost(), json(200, { workflow: archived }))
    const p = wf.workflows.archive('wf_1')
    await vi.runAllTimersAsync()
    await expect(p).resolves.toEqual(archived)
    expect(calls.map((c) => [c.method, c.headers['if-match']])).toEqual([
      ['DELETE', undefined],
      ['DELETE', undefined],
    ])
  })
})

describe('a change whose answer was lost, then 412', () => {
  const v1 = record()
  const renamed = record({ name: 'Renamed', version: 2, updated_at: '2026-11-29T11:00:00.000Z' })
  const otherWrite = record({ name: 'Someone else', version: 2, updated_at: '2026-11-29T11:00:00.000Z' })
  const later = record({ name: 'Renamed', version: 3, updated_at: '2026-11-29T12:00:00.000Z', steps: [] })

  it('is recognised as its own write from the audit trail, and answered as the lost answer would have been', async () => {
    const trail = history([versionOf(v1), versionOf(renamed)], renamed)
    const { wf, calls } = client(lost(), errorAnswer(412, 'precondition_failed'), trail, trail, trail)
    const p = wf.workflows.update('wf_1', { name: 'Renamed' }, { ifVersion: 1 })
    await vi.runAllTimersAsync()
    await expect(p).resolves.toEqual(renamed)
    expect(
      calls
        .slice(2)
        .map((c) => c.url.replace(BASE, ''))
        .sort(),
    ).toEqual(['/v1/workflows/wf_1', '/v1/workflows/wf_1/versions/1', '/v1/workflows/wf_1/versions/2'])
  })

  it('answers with the workflow as that write left it, even when others wrote after it', async () => {
    const trail = history([versionOf(v1), versionOf(renamed), versionOf(later)], later)
    const { wf } = client(lost(), errorAnswer(412, 'precondition_failed'), trail, trail, trail)
    const p = wf.workflows.update('wf_1', { name: 'Renamed' }, { ifVersion: 1 })
    await vi.runAllTimersAsync()
    await expect(p).resolves.toEqual(renamed)
  })

  it("someone else's change at that version: the 412 stands", async () => {
    const trail = history([versionOf(v1), versionOf(otherWrite)], otherWrite)
    const { wf } = client(lost(), errorAnswer(412, 'precondition_failed'), trail, trail, trail)
    const p = wf.workflows.update('wf_1', { name: 'Renamed' }, { ifVersion: 1 }).catch((e: unknown) => e)
    await vi.runAllTimersAsync()
    expect(await p).toBeInstanceOf(PreconditionFailedError)
  })

  it('a definite 412 (no earlier attempt lost) is not looked into', async () => {
    const { wf, calls } = client(errorAnswer(412, 'precondition_failed'))
    await expect(wf.workflows.update('wf_1', { name: 'Renamed' }, { ifVersion: 1 })).rejects.toBeInstanceOf(PreconditionFailedError)
    expect(calls).toHaveLength(1)
  })

  it('updateStepConfig: the step holds the values sent and nothing else changed', async () => {
    const raised = record({
      version: 2,
      steps: [STEPS_V1[0]!, { id: 'FACE_LIVENESS', config: { confidence_threshold: 95 } }] as Workflow['steps'],
    })
    const trail = history([versionOf(v1), versionOf(raised)], raised)
    const mine = client(lost(), errorAnswer(412, 'precondition_failed'), trail, trail, trail)
    const p = mine.wf.workflows.updateStepConfig('wf_1', 'FACE_LIVENESS', { confidence_threshold: 95 }, { ifVersion: 1 })
    await vi.runAllTimersAsync()
    await expect(p).resolves.toEqual(raised)

    const other = client(lost(), errorAnswer(412, 'precondition_failed'), trail, trail, trail)
    const q = other.wf.workflows
      .updateStepConfig('wf_1', 'FACE_LIVENESS', { confidence_threshold: 90 }, { ifVersion: 1 })
      .catch((e: unknown) => e)
    await vi.runAllTimersAsync()
    expect(await q).toBeInstanceOf(PreconditionFailedError)
  })

  it('archive with ifVersion: archived and nothing else changed', async () => {
    const archived = record({ status: 'archived', version: 2 })
    const trail = history([versionOf(v1), versionOf(archived)], archived)
    const { wf } = client(lost(), errorAnswer(412, 'precondition_failed'), trail, trail, trail)
    const p = wf.workflows.archive('wf_1', { ifVersion: 1 })
    await vi.runAllTimersAsync()
    await expect(p).resolves.toEqual(archived)
  })

  it('no version after the one given: the 412 stands', async () => {
    const trail = history([versionOf(v1)], v1)
    const { wf } = client(lost(), errorAnswer(412, 'precondition_failed'), trail, trail, trail)
    const p = wf.workflows.update('wf_1', { name: 'Renamed' }, { ifVersion: 1 }).catch((e: unknown) => e)
    await vi.runAllTimersAsync()
    expect(await p).toBeInstanceOf(PreconditionFailedError)
  })
})

describe('createClient', () => {
  it('needs an API key', () => {
    expect(() => createClient({ baseUrl: BASE, apiKey: '' })).toThrow(/apiKey is required/)
  })
})
