/**
 * Keys and tenancy on every /v1 route (contract §3, §5, §6):
 * - no x-api-key, a malformed, an unknown or a revoked key: 401 `unauthorized`, nothing changed;
 * - another organization's workflow: 404 `not_found`, exactly as an unknown id;
 * - a sandbox key: writes 403 `sandbox_key` with the contract's sentence (nothing changed), reads 200;
 * - every authenticated reply carries RateLimit-Limit/Remaining/Reset.
 */
import { SANDBOX_KEY_MESSAGE, type Workflow } from '@wf/core'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { api, newKey, newOrg, type Org, revokeKey, TARGET } from './client.js'
import { expectError, expectRateLimitHeaders } from './expect.js'
import { createWorkflow, FIVE_STEPS, getWorkflow, list, randomKey, SANDBOX_SENTENCE, UNKNOWN_WORKFLOW_ID } from './fixtures.js'
import { fill, operations, sampleBody } from './operations.js'

/** Every /v1 route of the API's own document, with a valid request for a live key. */
const SAMPLES = {
  CreateWorkflowRequest: FIVE_STEPS,
  UpdateWorkflowRequest: { name: 'Renamed' },
  UpdateStepConfigRequest: { config: { maximum_age: 60 } },
}
const V1_ROUTES = operations('/v1/').map((op) => ({
  method: op.method,
  path: (id: string) => fill(op.route, { id, step_id: 'ID_VERIFICATION', n: '1' }),
  ...(op.body === undefined ? {} : { body: sampleBody(op, SAMPLES) }),
  write: op.method !== 'GET',
  status: op.status,
}))

it('walks every /v1 operation of the document', () => {
  expect(V1_ROUTES.length).toBeGreaterThanOrEqual(8)
})

describe.each(V1_ROUTES.map((route) => ({ ...route, name: `${route.method} ${route.path(':id')}` })))('$name', (route) => {
  const hasId = route.path('a') !== route.path('b')
  let org: Org
  let workflow: Workflow
  beforeAll(async () => {
    org = await newOrg('Owner')
  })
  beforeEach(async () => {
    workflow = await createWorkflow(org.live)
  })

  const send = (key: string | undefined, id = workflow.id, headers: Record<string, string> = {}) =>
    api(route.method, route.path(id), { ...(key === undefined ? {} : { key }), ...('body' in route ? { body: route.body } : {}), headers })
  const count = async () => (await list(org.live)).workflows.length
  /** A refused request changed nothing: the workflow reads the same, and no workflow was added. */
  const expectUnchanged = async (before: number) => {
    expect(await getWorkflow(org.live, workflow.id)).toEqual(workflow)
    expect(await count()).toBe(before)
  }

  it(`succeeds with a live key (${route.status}), with RateLimit-* headers`, async () => {
    const reply = await send(org.live)
    expect(reply.status, reply.text).toBe(route.status)
    expectRateLimitHeaders(reply)
    expect(reply.headers.get('x-request-id')).toMatch(/^req_/)
  })

  it('is 401 without x-api-key, changing nothing', async () => {
    const before = await count()
    expectError(await send(undefined), 401, 'unauthorized')
    await expectUnchanged(before)
  })

  it.each([
    ['empty', ''],
    ['not a key', 'not-a-key'],
    ['too short', 'wf_live_abc'],
    ['unknown mode', `wf_test_${'a'.repeat(43)}`],
    ['one character too many', `${randomKey()}x`],
    ['a Bearer value', `Bearer ${randomKey()}`],
    ['characters outside base64url', `wf_live_${'+'.repeat(43)}`],
  ])('is 401 with a malformed key (%s)', async (_, key) => {
    expectError(await send(key), 401, 'unauthorized')
  })

  it.each(['live', 'sandbox'] as const)('is 401 with an unknown well-formed %s key', async (mode) => {
    expectError(await send(randomKey(mode)), 401, 'unauthorized')
  })

  it('is 401 with a revoked key, at once, changing nothing', async () => {
    const key = await newKey(org.id, 'live', 'soon revoked')
    expect((await api('GET', '/v1/workflows', { key: key.secret })).status).toBe(200)
    const revoked = await revokeKey(key.id)
    expect(revoked.revoked_at).toEqual(expect.any(String))
    const before = await count()
    expectError(await send(key.secret), 401, 'unauthorized')
    await expectUnchanged(before)
  })

  if (hasId) {
    it("is 404 for another organization's workflow, exactly as for an unknown id", async () => {
      const other = await newOrg('Other')
      const foreign = expectError(await send(other.live), 404, 'not_found')
      const unknown = expectError(await send(other.live, UNKNOWN_WORKFLOW_ID), 404, 'not_found')
      expect(foreign.error.replaceAll(workflow.id, '<id>')).toBe(unknown.error.replaceAll(UNKNOWN_WORKFLOW_ID, '<id>'))
      expect(Object.keys(foreign)).toEqual(Object.keys(unknown))
      if (!route.write) expectError(await send(other.sandbox), 404, 'not_found')
      expect(await getWorkflow(org.live, workflow.id)).toEqual(workflow)
    })
  }

  if (route.write) {
    it('is 403 with a sandbox key, with the exact sentence, changing nothing', async () => {
      const before = await count()
      const reply = await send(org.sandbox)
      const error = expectError(reply, 403, 'sandbox_key')
      expect(error.error).toBe(SANDBOX_SENTENCE)
      expect(error.error).toBe(SANDBOX_KEY_MESSAGE)
      expectRateLimitHeaders(reply)
      await expectUnchanged(before)
    })
  } else {
    it('is 200 with a sandbox key (reads are allowed)', async () => {
      const reply = await send(org.sandbox)
      expect(reply.status, reply.text).toBe(200)
      expectRateLimitHeaders(reply)
    })
  }

  it('has RateLimit-* headers on an authenticated error reply', async () => {
    const failing = hasId
      ? await send(org.live, UNKNOWN_WORKFLOW_ID)
      : await api(route.method, `${route.path('')}?limit=0`, { key: org.live, body: route.write ? {} : undefined })
    expect(failing.status).toBeGreaterThanOrEqual(400)
    expectRateLimitHeaders(failing)
    // The local targets' relaxed burst (test/launch.ts RELAXED_LIMITS); an external target has its own.
    if (TARGET !== 'external') expect(expectRateLimitHeaders(await send(org.live)).limit).toBe(1000)
  })

  it('echoes a sane x-request-id and replaces an unsafe or overlong one', async () => {
    const echoed = await send(undefined, workflow.id, { 'x-request-id': 'client-abc_123=' })
    expect(echoed.headers.get('x-request-id')).toBe('client-abc_123=')
    expect(expectError(echoed, 401, 'unauthorized').request_id).toBe('client-abc_123=')
    const replaced = await send(org.live, workflow.id, { 'x-request-id': 'has spaces; and <html>' })
    expect(replaced.headers.get('x-request-id')).toMatch(/^req_/)
    const tooLong = await send(org.live, workflow.id, { 'x-request-id': 'a'.repeat(256) })
    expect(tooLong.headers.get('x-request-id')).toMatch(/^req_/)
  })
})

describe('keys', () => {
  it('are created through the admin API with the mode in their visible prefix', async () => {
    const org = await newOrg()
    expect(org.live).toMatch(/^wf_live_[A-Za-z0-9_-]{43}$/)
    expect(org.sandbox).toMatch(/^wf_sandbox_[A-Za-z0-9_-]{43}$/)
  })

  it("a key never sees another organization's workflows in the list", async () => {
    const [a, b] = await Promise.all([newOrg('A'), newOrg('B')])
    const mine = await createWorkflow(a.live)
    expect((await list(b.live)).workflows).toEqual([])
    expect((await list(b.sandbox)).workflows).toEqual([])
    expect((await list(a.sandbox)).workflows.map((w: { id: string }) => w.id)).toEqual([mine.id])
  })
})
