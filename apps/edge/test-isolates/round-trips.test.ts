// The sequential round trips of each keyed route on the edge (issue 15), counted on the built
// Worker with every D1 query and Durable Object call traced (bench/round-trips-lib.mjs): a read is
// one round trip (its key's check, the rate-limit object and the read, all at once); a write is two,
// because it must not be committed before the limiter has said yes. Each traced call answers after
// a simulated network latency of 200 ms, so the local work between two calls (reading a body) does
// not make a call look as if it had waited for another.
import { EXAMPLE_CREATE_WORKFLOW } from '@wf/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { measureRoundTrips, startTracedWorker, type TracedWorker } from '../bench/round-trips-lib.mjs'

describe('sequential round trips per keyed route', () => {
  let rows: Awaited<ReturnType<typeof measureRoundTrips>>
  beforeAll(async () => {
    rows = await measureRoundTrips({ latencyMs: 200 })
  }, 90_000)

  const expected: [string, number, number][] = [
    ['GET /v1/workflows/{id}, a key this isolate has not seen', 200, 2],
    ['GET /v1/workflows/{id}', 200, 1],
    ['GET /v1/workflows/{id}, unknown id', 404, 1],
    ['GET /v1/workflows', 200, 1],
    ['GET /v1/workflows/{id}/versions', 200, 1],
    ['POST /v1/workflows', 201, 2],
    ['POST /v1/workflows, Idempotency-Key', 201, 2],
    ['POST /v1/workflows, invalid', 400, 1],
    ['PATCH /v1/workflows/{id}', 200, 2],
    ['PATCH …/steps/{step}/config', 200, 2],
    ['DELETE /v1/workflows/{id}', 200, 2],
    ['GET /v1/workflows, unknown key', 401, 1],
  ]
  it('measures every route, each answering as the contract says', () => {
    expect(rows.map((r) => [r.route, r.status])).toStrictEqual(expected.map(([route, status]) => [route, status]))
  })
  it.each(expected)('%s: %i in %i step(s)', (route, _status, steps) => {
    const row = rows.find((r) => r.route === route)
    expect(row?.steps, row?.calls ?? '').toBe(steps)
  })
  it('consults the rate-limit object beside D1 on a read, never after it', () => {
    const get = rows.find((r) => r.route === 'GET /v1/workflows/{id}')
    expect(get?.calls).toBe('1:d1.raw 1:do.take 1:d1.raw')
  })
})

describe('a key this isolate remembers, revoked elsewhere', () => {
  let worker: TracedWorker
  beforeAll(async () => {
    worker = await startTracedWorker({ latencyMs: 200 })
  }, 90_000)
  afterAll(() => worker?.dispose())

  it('is refused from its next request on, in one round trip, and writes nothing', async () => {
    const { call, newKey, revoke } = worker
    const key = await newKey()
    const witness = await newKey()
    const id = (await call('POST', '/v1/workflows', { key: key.secret, body: EXAMPLE_CREATE_WORKFLOW })).json.workflow.id
    expect((await call('GET', `/v1/workflows/${id}`, { key: key.secret })).steps).toBe(1) // remembered
    expect((await revoke(key.id)).status).toBe(200)

    const get = await call('GET', `/v1/workflows/${id}`, { key: key.secret })
    expect([get.status, get.json.code, get.steps]).toStrictEqual([401, 'unauthorized', 1])
    const create = await call('POST', '/v1/workflows', { key: key.secret, body: EXAMPLE_CREATE_WORKFLOW })
    expect(create.status).toBe(401)
    expect(create.calls).not.toContain('batch') // the insert was never sent
    const patch = await call('PATCH', `/v1/workflows/${id}`, { key: key.secret, body: { name: 'Not by a revoked key' } })
    expect(patch.status).toBe(401)

    const listed = await call('GET', '/v1/workflows', { key: witness.secret })
    expect(listed.json.workflows.map((w: { id: string; name: string }) => [w.id, w.name])).toStrictEqual([
      [id, EXAMPLE_CREATE_WORKFLOW.name],
    ])
  })
})
