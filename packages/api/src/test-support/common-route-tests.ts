/**
 * The checks every /v1 route must pass (contract §3, §5, §6), written once and called by each
 * route's tests, like unkey's `runCommonRouteTests`:
 *
 * - no `x-api-key`, a malformed, an unknown or a revoked key: 401 `unauthorized`;
 * - another organisation's workflow: 404 `not_found`, exactly as an unknown id;
 * - a write with a sandbox key: 403 `sandbox_key` with the contract's sentence, nothing changed;
 *   a read with a sandbox key works;
 * - every authenticated response, success or error, carries RateLimit-Limit/Remaining/Reset;
 * - every response carries x-request-id; every error body validates against core's ErrorBody
 *   and has no top-level `message`.
 */
import { SANDBOX_KEY_MESSAGE, type Workflow } from '@wf/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as admin from '../services/admin.js'
import { createTestApi, type TestApi, type TestOrg } from './harness.js'
import {
  UNKNOWN_WORKFLOW_ID,
  createWorkflow,
  expectError,
  expectRateLimitHeaders,
  getWorkflow,
  randomKey,
  readJson,
} from './helpers.js'

export interface CommonRouteSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** The route's path for a workflow of the caller's organisation. */
  path: (workflowId: string) => string
  /** A valid body for a live key (sent as JSON). */
  body?: unknown
  /** Writes (POST, PATCH, PUT, DELETE) are refused to sandbox keys. */
  write: boolean
}

export function runCommonRouteTests(spec: CommonRouteSpec): void {
  const { method, path, body, write } = spec
  // Routes without a workflow in their path (create, list) have no tenancy row to check here.
  const hasWorkflowId = path('wf_a') !== path('wf_b')

  describe(`${method} ${path(':id')}: common route checks`, () => {
    let t: TestApi
    let org: TestOrg
    let workflow: Workflow

    beforeEach(async () => {
      t = createTestApi()
      org = await t.newOrg('Owner')
      workflow = await createWorkflow(t, org.live)
    })
    afterEach(() => t.close())

    const send = (key: string | undefined, id = workflow.id, headers: Record<string, string> = {}) =>
      t.request(method, path(id), { ...(key === undefined ? {} : { key }), body, headers })

    /** The workflow as its owner sees it: a refused write must not have changed it. */
    const expectUnchanged = async () => {
      const now = await getWorkflow(t, org.live, workflow.id)
      expect(now).toEqual(workflow)
    }

    const workflowCount = async () => {
      const res = await t.request('GET', '/v1/workflows', { key: org.live })
      return ((await readJson(res)).workflows as unknown[]).length
    }

    // The baseline: with a live key the request succeeds, so the refusals below are the key's doing.
    it('succeeds with a live key, with RateLimit-* and x-request-id headers', async () => {
      const res = await send(org.live)
      expect(res.status, await res.clone().text()).toBe(method === 'POST' ? 201 : 200)
      expectRateLimitHeaders(res)
      expect(res.headers.get('x-request-id')).toMatch(/^req_/)
    })

    // §3: every /v1 request carries x-api-key.
    it('is 401 unauthorized without x-api-key', async () => {
      await expectError(await send(undefined), 401, 'unauthorized')
      if (write) await expectUnchanged()
    })

    // §3: a malformed key is refused like an unknown one.
    it.each([
      ['empty', ''],
      ['not a key', 'not-a-key'],
      ['too short', 'wf_live_abc'],
      ['unknown mode', `wf_test_${'a'.repeat(43)}`],
      ['one character too many', `${randomKey()}x`],
      ['a Bearer value', `Bearer ${randomKey()}`],
      ['characters outside base64url', `wf_live_${'+'.repeat(43)}`],
    ])('is 401 unauthorized with a malformed key (%s)', async (_, key) => {
      await expectError(await send(key), 401, 'unauthorized')
    })

    // §3: an unknown key, live or sandbox by its prefix, is 401.
    it.each(['live', 'sandbox'] as const)('is 401 unauthorized with an unknown well-formed %s key', async (mode) => {
      await expectError(await send(randomKey(mode)), 401, 'unauthorized')
    })

    // §3 + §4 Admin: a revoked key stops working at once.
    it('is 401 unauthorized with a revoked key', async () => {
      const { api_key, secret } = await admin.createApiKey(t.deps, org.id, 'live', 'soon revoked')
      expect((await t.request('GET', '/v1/workflows', { key: secret })).status).toBe(200)
      await admin.revokeApiKey(t.deps, api_key.id)
      await expectError(await send(secret), 401, 'unauthorized')
      if (write) await expectUnchanged()
    })

    // §3: another organisation's workflow is 404, exactly as if it did not exist.
    if (hasWorkflowId) {
      it("is 404 not_found for another organisation's workflow, exactly as for an unknown id", async () => {
        const other = await t.newOrg('Other')
        const foreign = await send(other.live)
        const foreignBody = await expectError(foreign, 404, 'not_found')
        const unknownBody = await expectError(await send(other.live, UNKNOWN_WORKFLOW_ID), 404, 'not_found')
        // Same sentence too, once the id each one names is set aside.
        expect(foreignBody.error.replaceAll(workflow.id, '<id>')).toBe(unknownBody.error.replaceAll(UNKNOWN_WORKFLOW_ID, '<id>'))
        if (!write) await expectError(await send(other.sandbox), 404, 'not_found')
        await expectUnchanged()
      })
    }

    if (write) {
      // §3: every write with a sandbox key is 403 with exactly this sentence, and changes nothing.
      it('is 403 sandbox_key with a sandbox key, with the exact sentence, changing nothing', async () => {
        const before = await workflowCount()
        const res = await send(org.sandbox)
        const error = await expectError(res, 403, 'sandbox_key')
        expect(error.error).toBe('This is a sandbox API key. Use a live API key to create or modify resources.')
        expect(error.error).toBe(SANDBOX_KEY_MESSAGE)
        expectRateLimitHeaders(res)
        await expectUnchanged()
        expect(await workflowCount()).toBe(before)
      })
    } else {
      // §3: a sandbox key may read its organisation's workflows.
      it('works with a sandbox key (reads are allowed)', async () => {
        const res = await send(org.sandbox)
        expect(res.status, await res.clone().text()).toBe(200)
        expectRateLimitHeaders(res)
      })
    }

    // §6: every authenticated response carries the rate-limit headers, errors included.
    it('has RateLimit-* headers on authenticated error responses', async () => {
      const failing = hasWorkflowId
        ? await send(org.live, UNKNOWN_WORKFLOW_ID)
        : await t.request(method, `${path('')}?limit=0`, { key: org.live, body: method === 'POST' ? {} : undefined })
      expect(failing.status).toBeGreaterThanOrEqual(400)
      expectRateLimitHeaders(failing)
      const limits = expectRateLimitHeaders(await send(org.live))
      expect(limits.limit).toBe(t.deps.settings.rateLimit.burst)
    })

    // §5: x-request-id is echoed when sane, generated otherwise, and is the error's request_id.
    it('echoes a sane x-request-id and replaces an unsafe one', async () => {
      const echoed = await send(undefined, workflow.id, { 'x-request-id': 'client-abc_123=' })
      expect(echoed.headers.get('x-request-id')).toBe('client-abc_123=')
      expect((await expectError(echoed, 401, 'unauthorized')).request_id).toBe('client-abc_123=')
      const replaced = await send(org.live, workflow.id, { 'x-request-id': 'has spaces; and <html>' })
      expect(replaced.headers.get('x-request-id')).toMatch(/^req_/)
      const tooLong = await send(org.live, workflow.id, { 'x-request-id': 'a'.repeat(256) })
      expect(tooLong.headers.get('x-request-id')).toMatch(/^req_/)
    })
  })
}
