/** Scenarios: every error status maps to its class. */
import {
  AuthenticationError,
  ConflictError,
  type CreateWorkflowRequest,
  createAdminClient,
  createClient,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  RateLimitError,
  SandboxKeyError,
  type UpdateWorkflowRequest,
  ValidationError,
  WfError,
} from '@wf/client'
import { check } from '../check.js'
import { faulty } from '../faults.js'
import type { Scenario } from './context.js'
import {
  expectAnswerError,
  FIVE_STEPS,
  hex,
  idsOf,
  lastAnswered,
  newOrg,
  OVERSIZED,
  SANDBOX_SENTENCE,
  SMALL,
  UNKNOWN_WORKFLOW_ID,
  unknownKey,
  versionNumbers,
} from './fixtures.js'

export const errors: Record<string, Scenario> = {
  async '400 ValidationError: status, code, message, details with JSON Pointers, requestId'(ctx) {
    const s = await newOrg(ctx, '400')
    const calls = faulty()
    const wf = s.client({ fetch: calls.fetch }).workflows
    const invalid = {
      name: ' ',
      steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 0 } }, { id: 'FACE_LIVENESS' }, { id: 'NOPE' }],
    } as unknown as CreateWorkflowRequest
    const error = await check.rejects(wf.create(invalid), ValidationError, 'create with an invalid body')
    const body = expectAnswerError(error, lastAnswered(calls.calls), 400, 'invalid_request')
    check.equal(
      error.details.map((d) => d.path),
      ['/name', '/steps/0/config/confidence_threshold', '/steps/1/id', '/steps/2/id'],
      'details: every problem at its JSON Pointer',
    )
    for (const d of error.details) check.ok(typeof d.message === 'string' && d.message.length > 0, 'each detail has a message', d)
    check.match(error.message, /^Invalid request: /, 'the message names the problems')
    check.ok(Array.isArray(body.details), 'the body had details')
    check.equal(calls.calls.length, 1, 'a 400 is not retried')
    check.equal(await idsOf(s.wf), [], 'nothing created')

    const created = await s.wf.create(SMALL())
    const badSteps = await check.rejects(
      wf.update(created.id, { steps: [{ id: 'AGE_ESTIMATION', config: { minimum_age: '18' } }] } as unknown as UpdateWorkflowRequest),
      ValidationError,
      'update with an invalid step config',
    )
    expectAnswerError(badSteps, lastAnswered(calls.calls), 400, 'invalid_request')
    check.equal(
      badSteps.details.map((d) => d.path),
      ['/steps/0/config/minimum_age'],
      'update details',
    )
    const badConfig = await check.rejects(
      wf.updateStepConfig(created.id, 'PEP_SANCTIONS', { strict: true } as never),
      ValidationError,
      'updateStepConfig with a field the step does not have',
    )
    expectAnswerError(badConfig, lastAnswered(calls.calls), 400, 'invalid_request')
    check.equal(
      badConfig.details.map((d) => d.path),
      ['/config/strict'],
      'step config details point into the PATCH body',
    )
    const badLimit = await check.rejects(wf.list({ limit: 0 }), ValidationError, 'list with limit 0')
    expectAnswerError(badLimit, lastAnswered(calls.calls), 400, 'invalid_request')
    const badCursor = await check.rejects(wf.list({ cursor: 'not-a-cursor' }), ValidationError, 'list with a tampered cursor')
    expectAnswerError(badCursor, lastAnswered(calls.calls), 400, 'invalid_request')
    check.equal(await versionNumbers(s.wf, created.id), [1], 'nothing written')
  },

  async '401 AuthenticationError: unknown key, wrong admin token'(ctx) {
    const calls = faulty()
    const client = createClient({ baseUrl: ctx.baseUrl, apiKey: unknownKey(), fetch: calls.fetch })
    const error = await check.rejects(client.workflows.list(), AuthenticationError, 'list with an unknown key')
    expectAnswerError(error, lastAnswered(calls.calls), 401, 'unauthorized')
    const create = await check.rejects(client.workflows.create(SMALL()), AuthenticationError, 'create with an unknown key')
    expectAnswerError(create, lastAnswered(calls.calls), 401, 'unauthorized')
    check.equal(calls.calls.length, 2, 'a 401 is not retried')

    const admin = createAdminClient({ baseUrl: ctx.baseUrl, adminToken: `${ctx.adminToken}-wrong`, fetch: calls.fetch })
    const adminError = await check.rejects(admin.organizations.create({ name: 'x' }), AuthenticationError, 'admin with a wrong token')
    expectAnswerError(adminError, lastAnswered(calls.calls), 401, 'unauthorized')
  },

  async '403 SandboxKeyError: every write with a sandbox key, the exact sentence'(ctx) {
    const s = await newOrg(ctx, '403')
    const created = await s.wf.create(SMALL())
    const calls = faulty()
    const sandbox = s.client({ apiKey: s.sandbox.secret, fetch: calls.fetch }).workflows
    const writes: [string, () => Promise<unknown>][] = [
      ['create', () => sandbox.create(SMALL())],
      ['update', () => sandbox.update(created.id, { name: 'No' })],
      ['update with ifVersion', () => sandbox.update(created.id, { name: 'No' }, { ifVersion: 1 })],
      ['updateStepConfig', () => sandbox.updateStepConfig(created.id, 'PEP_SANCTIONS', {})],
      ['archive', () => sandbox.archive(created.id)],
    ]
    for (const [what, write] of writes) {
      const before = calls.calls.length
      const error = await check.rejects(write(), SandboxKeyError, `${what} with a sandbox key`)
      expectAnswerError(error, lastAnswered(calls.calls), 403, 'sandbox_key')
      check.equal(error.message, SANDBOX_SENTENCE, `${what}: the sentence`)
      check.equal(calls.calls.length - before, 1, `${what}: a 403 is not retried`)
    }
    check.equal(await s.wf.retrieve(created.id), created, 'nothing changed')
    check.equal(await idsOf(s.wf), [created.id], 'nothing created')
  },

  async '404 NotFoundError: unknown workflow, another organization’s, a step not in the workflow, an unknown version'(ctx) {
    const s = await newOrg(ctx, '404')
    const other = await newOrg(ctx, '404, other')
    const theirs = await other.wf.create(SMALL('Theirs'))
    const mine = await s.wf.create(SMALL('Mine'))
    const calls = faulty()
    const wf = s.client({ fetch: calls.fetch }).workflows
    const cases: [string, () => Promise<unknown>][] = [
      ['retrieve an unknown id', () => wf.retrieve(UNKNOWN_WORKFLOW_ID)],
      ['retrieve another organization’s', () => wf.retrieve(theirs.id)],
      ['update another organization’s', () => wf.update(theirs.id, { name: 'Mine now' })],
      ['updateStepConfig another organization’s', () => wf.updateStepConfig(theirs.id, 'PEP_SANCTIONS', {})],
      ['archive another organization’s', () => wf.archive(theirs.id)],
      ['versions of another organization’s', () => wf.versions(theirs.id)],
      ['updateStepConfig of a step not in the workflow', () => wf.updateStepConfig(mine.id, 'FACE_LIVENESS', { confidence_threshold: 50 })],
      ['version 9 of a workflow at version 1', () => wf.version(mine.id, 9)],
    ]
    for (const [what, call] of cases) {
      const before = calls.calls.length
      const error = await check.rejects(call(), NotFoundError, what)
      expectAnswerError(error, lastAnswered(calls.calls), 404, 'not_found')
      check.equal(calls.calls.length - before, 1, `${what}: a 404 is not retried`)
    }
    check.equal(await other.wf.retrieve(theirs.id), theirs, 'the other organization’s workflow is unchanged')
  },

  async '409 ConflictError: a change to an archived workflow (before a stale ifVersion)'(ctx) {
    const s = await newOrg(ctx, '409')
    const created = await s.wf.create(FIVE_STEPS)
    const archived = await s.wf.archive(created.id)
    const calls = faulty()
    const wf = s.client({ fetch: calls.fetch }).workflows
    const cases: [string, () => Promise<unknown>][] = [
      ['rename', () => wf.update(created.id, { name: 'Too late' })],
      ['an empty update', () => wf.update(created.id, {})],
      ['rename with the current ifVersion', () => wf.update(created.id, { name: 'Too late' }, { ifVersion: 2 })],
      ['rename with a stale ifVersion', () => wf.update(created.id, { name: 'Too late' }, { ifVersion: 1 })],
      ['updateStepConfig', () => wf.updateStepConfig(created.id, 'FACE_LIVENESS', { confidence_threshold: 50 })],
    ]
    for (const [what, call] of cases) {
      const before = calls.calls.length
      const error = await check.rejects(call(), ConflictError, what)
      expectAnswerError(error, lastAnswered(calls.calls), 409, 'conflict')
      check.equal(calls.calls.length - before, 1, `${what}: a 409 is not retried`)
    }
    check.equal(await s.wf.retrieve(created.id), archived, 'nothing changed')
  },

  async '412 PreconditionFailedError: a stale ifVersion changes nothing and is not retried'(ctx) {
    const s = await newOrg(ctx, '412')
    const created = await s.wf.create(FIVE_STEPS)
    const moved = await s.wf.update(created.id, { name: 'Moved on' })
    const calls = faulty()
    const wf = s.client({ fetch: calls.fetch }).workflows
    const cases: [string, () => Promise<unknown>][] = [
      ['update', () => wf.update(created.id, { name: 'Stale' }, { ifVersion: 1 })],
      ['update, a version from the future', () => wf.update(created.id, { name: 'Stale' }, { ifVersion: 3 })],
      ['updateStepConfig', () => wf.updateStepConfig(created.id, 'FACE_LIVENESS', { confidence_threshold: 50 }, { ifVersion: 1 })],
      ['archive', () => wf.archive(created.id, { ifVersion: 1 })],
    ]
    for (const [what, call] of cases) {
      const before = calls.calls.length
      const error = await check.rejects(call(), PreconditionFailedError, what)
      expectAnswerError(error, lastAnswered(calls.calls), 412, 'precondition_failed')
      check.equal(calls.calls.length - before, 1, `${what}: one request (no retry, no audit-trail lookup without a lost answer)`)
      check.equal(calls.calls.at(-1)?.headers['if-match'], `"${what.includes('future') ? 3 : 1}"`, `${what}: If-Match sent`)
    }
    check.equal(await s.wf.retrieve(created.id), moved, 'nothing changed')
  },

  async '413 PayloadTooLargeError: a name or steps over 64 KiB'(ctx) {
    const s = await newOrg(ctx, '413')
    const created = await s.wf.create(SMALL())
    const calls = faulty()
    const wf = s.client({ fetch: calls.fetch }).workflows
    const bigName = await check.rejects(
      wf.create({ name: 'x'.repeat(OVERSIZED), steps: [{ id: 'PEP_SANCTIONS' }] }),
      PayloadTooLargeError,
      'a huge name',
    )
    expectAnswerError(bigName, lastAnswered(calls.calls), 413, 'payload_too_large')
    check.equal(calls.calls.length, 1, 'a 413 is not retried')
    check.ok((calls.calls[0]?.body?.length ?? 0) > 65_536, 'the body sent was over 64 KiB')
    const bigSteps = await check.rejects(
      wf.update(
        created.id,
        { steps: [{ id: 'ADVERSE_MEDIA', config: { pad: 'y'.repeat(OVERSIZED) } }] } as unknown as UpdateWorkflowRequest,
        {
          ifVersion: 1,
        },
      ),
      PayloadTooLargeError,
      'huge steps',
    )
    expectAnswerError(bigSteps, lastAnswered(calls.calls), 413, 'payload_too_large')
    check.equal(calls.calls.length, 2, 'a 413 is not retried (update)')
    check.equal(await idsOf(s.wf), [created.id], 'nothing created')
    check.equal(await s.wf.retrieve(created.id), created, 'nothing changed')
  },

  async '429 RateLimitError with maxRetries 0: retryAfter of at least 1 s'(ctx) {
    const s = await newOrg(ctx, '429', ctx.limitedUrl)
    const calls = faulty()
    const wf = s.client({ fetch: calls.fetch, maxRetries: 0 }).workflows
    let error: RateLimitError | undefined
    if (ctx.tightLimits) {
      // Burst 5, one token every 5 s: five calls pass, the sixth is refused.
      for (let i = 1; i <= 5; i++) check.equal((await wf.list()).data, [], `call ${i} of the burst`)
      error = await check.rejects(wf.list(), RateLimitError, 'the sixth call')
      check.equal(calls.calls.length, 6, 'one request per call: maxRetries 0')
    } else {
      // Limits unknown here: more calls at once than any sane burst.
      const settled = await Promise.allSettled(Array.from({ length: 100 }, () => wf.list()))
      const refused = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []))
      check.ok(refused.length > 0, 'some of 100 simultaneous calls are refused')
      for (const e of refused) check.ok(e instanceof RateLimitError, 'every refusal is a RateLimitError', e)
      error = refused[0] as RateLimitError
      check.equal(calls.calls.length, 100, 'one request per call: maxRetries 0')
    }
    const seen = ctx.tightLimits ? lastAnswered(calls.calls) : calls.calls.find((c) => c.responseText && c.status === 429)!
    expectAnswerError(error, seen, 429, 'rate_limited')
    check.equal(error.message, 'Rate limit exceeded.', 'the message')
    check.ok(typeof error.retryAfter === 'number' && error.retryAfter >= 1, 'retryAfter is at least 1', error.retryAfter)
    check.equal(error.retryAfter, Number(seen.responseHeaders?.get('retry-after')), 'retryAfter is the Retry-After header')
  },

  async '422 idempotency key reused with another body: WfError idempotency_key_reused'(ctx) {
    const s = await newOrg(ctx, '422')
    const key = `client-422-${hex(8)}`
    const calls = faulty()
    const wf = s.client({ fetch: calls.fetch }).workflows
    const first = await wf.create(SMALL('First'), { idempotencyKey: key })
    check.equal(calls.calls[0]?.headers['idempotency-key'], key, 'Idempotency-Key sent')
    const replay = await wf.create(SMALL('First'), { idempotencyKey: key })
    check.equal(replay, first, 'the same key and body: the stored answer')
    check.equal(calls.calls[1]?.responseHeaders?.get('idempotent-replayed'), 'true', 'the server replayed it')
    const error = await check.rejects(wf.create(SMALL('Second'), { idempotencyKey: key }), WfError, 'the same key, another body', {
      exact: true,
    })
    expectAnswerError(error, lastAnswered(calls.calls), 422, 'idempotency_key_reused')
    check.equal(error.name, 'WfError', 'no subclass for 422')
    check.equal(calls.calls.length, 3, 'a 422 is not retried')
    check.equal(await idsOf(s.wf), [first.id], 'one workflow')
  },
}
