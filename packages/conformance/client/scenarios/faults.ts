/** Scenarios: failures without an answer: retries that never duplicate a write. */
import { PreconditionFailedError, type UpdateWorkflowRequest, WfConnectionError, WfTimeoutError, type Workflow } from '@wf/client'
import { check } from '../check.js'
import { answer, custom, faulty, lose, on, stall } from '../faults.js'
import type { Scenario } from './context.js'
import {
  abortError,
  expectAnswerError,
  FIVE_STEPS,
  hex,
  idsOf,
  newOrg,
  RESOLVED_ID_VERIFICATION,
  SMALL,
  sleep,
  UUID,
  versionNumbers,
} from './fixtures.js'

export const faults: Record<string, Scenario> = {
  async '(a) create: the answer is lost twice after the server committed → one workflow, the one returned'(ctx) {
    const s = await newOrg(ctx, 'lost create')
    const f = faulty({ when: on('POST', '/v1/workflows'), plan: [lose, lose] })
    const created = await s.client({ fetch: f.fetch }).workflows.create(FIVE_STEPS)
    const attempts = f.selected()
    check.equal(
      attempts.map((a) => [a.behaviour, a.status]),
      [
        ['lose', 201],
        ['lose', 201],
        ['pass', 201],
      ],
      'three attempts (maxRetries 2), each answered 201 by the server',
    )
    const keys = attempts.map((a) => a.headers['idempotency-key'])
    check.match(keys[0], UUID, 'a random UUID as Idempotency-Key')
    check.equal(keys, [keys[0], keys[0], keys[0]], 'the same Idempotency-Key on every attempt')
    check.equal(attempts[2]?.responseHeaders?.get('idempotent-replayed'), 'true', 'the last answer is the replay')
    const firstAnswer = JSON.parse(attempts[0]!.responseText!) as { workflow: Workflow }
    check.equal(created, firstAnswer.workflow, 'the workflow returned is the one the first (lost) attempt created')
    check.equal(await idsOf(s.wf), [created.id], 'exactly one workflow')
    check.equal(await s.wf.retrieve(created.id), created, 'retrieve')
  },

  async '(a) create with the caller’s idempotencyKey: the answer is lost → one workflow, the key on every attempt'(ctx) {
    const s = await newOrg(ctx, 'lost create, own key')
    const key = `order-${hex(12)}`
    const f = faulty({ when: on('POST', '/v1/workflows'), plan: [lose] })
    const wf = s.client({ fetch: f.fetch }).workflows
    const created = await wf.create(SMALL('Keyed'), { idempotencyKey: key })
    check.equal(
      f.selected().map((a) => [a.behaviour, a.status, a.headers['idempotency-key']]),
      [
        ['lose', 201, key],
        ['pass', 201, key],
      ],
      'two attempts with the caller’s key',
    )
    check.equal(created, (JSON.parse(f.selected()[0]!.responseText!) as { workflow: Workflow }).workflow, 'the lost attempt’s workflow')
    // The caller, unsure, calls again with the same key: the same workflow again.
    check.equal(await wf.create(SMALL('Keyed'), { idempotencyKey: key }), created, 'a second call with the key')
    check.equal(await idsOf(s.wf), [created.id], 'exactly one workflow')
  },

  async '(b) update with ifVersion: the answer is lost → the retry meets 412, the client recognises its own write'(ctx) {
    const s = await newOrg(ctx, 'lost update')
    const created = await s.wf.create(FIVE_STEPS)
    const f = faulty({ when: on('PATCH', `/v1/workflows/${created.id}`), plan: [lose] })
    const change = { name: 'Renamed', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 90 } }, { id: 'PEP_SANCTIONS' }] }
    const updated = await s.client({ fetch: f.fetch }).workflows.update(created.id, change as UpdateWorkflowRequest, { ifVersion: 1 })
    check.equal(
      f.selected().map((a) => [a.behaviour, a.status, a.headers['if-match']]),
      [
        ['lose', 200, '"1"'],
        ['pass', 412, '"1"'],
      ],
      'the PATCH attempts',
    )
    check.equal(updated.version, 2, 'version = ifVersion + 1')
    check.equal(updated.name, 'Renamed', 'the name sent')
    check.equal(
      updated.steps,
      [
        { id: 'FACE_LIVENESS', config: { confidence_threshold: 90 } },
        { id: 'PEP_SANCTIONS', config: {} },
      ],
      'the steps sent',
    )
    const lost = (JSON.parse(f.selected()[0]!.responseText!) as { workflow: Workflow }).workflow
    check.equal(updated, lost, 'the answer is the one that was lost')
    check.equal(await s.wf.retrieve(created.id), updated, 'retrieve')
    check.equal(await versionNumbers(s.wf, created.id), [2, 1], 'one version written')
  },

  async '(b) updateStepConfig with ifVersion: the answer is lost → its own write recognised'(ctx) {
    const s = await newOrg(ctx, 'lost step config')
    const created = await s.wf.create(FIVE_STEPS)
    const f = faulty({ when: on('PATCH', `/v1/workflows/${created.id}/steps/ID_VERIFICATION/config`), plan: [lose] })
    const updated = await s
      .client({ fetch: f.fetch })
      .workflows.updateStepConfig(created.id, 'ID_VERIFICATION', { minimum_age: 25, require_secondary_id: true }, { ifVersion: 1 })
    check.equal(
      f.selected().map((a) => [a.behaviour, a.status]),
      [
        ['lose', 200],
        ['pass', 412],
      ],
      'the PATCH attempts',
    )
    check.equal(updated.version, 2, 'version = ifVersion + 1')
    check.equal(updated.steps[0]?.config, { ...RESOLVED_ID_VERIFICATION, minimum_age: 25, require_secondary_id: true }, 'the config')
    check.equal(updated, (JSON.parse(f.selected()[0]!.responseText!) as { workflow: Workflow }).workflow, 'the lost answer')
    check.equal(await versionNumbers(s.wf, created.id), [2, 1], 'one version written')
  },

  async '(b) archive with ifVersion: the answer is lost → archived, version = ifVersion + 1'(ctx) {
    const s = await newOrg(ctx, 'lost archive')
    const created = await s.wf.create(SMALL())
    const moved = await s.wf.update(created.id, { name: 'v2' })
    const f = faulty({ when: on('DELETE', `/v1/workflows/${created.id}`), plan: [lose] })
    const archived = await s.client({ fetch: f.fetch }).workflows.archive(created.id, { ifVersion: 2 })
    const attempts = f.selected()
    check.equal(
      attempts.map((a) => [a.behaviour, a.headers['if-match']]),
      [
        ['lose', '"2"'],
        ['pass', '"2"'],
      ],
      'two DELETE attempts with If-Match',
    )
    // The retry meets an archived workflow: 200 unchanged (docs/api-notes.md), or 412 and the audit trail.
    ctx.log(`archive retry after a lost answer: the server answered ${attempts[1]?.status}`)
    check.equal([archived.status, archived.version, archived.name], ['archived', 3, moved.name], 'archived at ifVersion + 1')
    check.equal(archived, (JSON.parse(attempts[0]!.responseText!) as { workflow: Workflow }).workflow, 'the lost answer')
    check.equal(await versionNumbers(s.wf, created.id), [3, 2, 1], 'one version written')
  },

  async '(b) another writer changed the workflow before the retry → PreconditionFailedError'(ctx) {
    const s = await newOrg(ctx, 'lost update, other writer')
    const created = await s.wf.create(FIVE_STEPS)
    const other = s.client({ apiKey: (await s.newLiveKey('other writer')).secret }).workflows
    const f = faulty({
      when: on('PATCH', `/v1/workflows/${created.id}`),
      plan: [
        // The request never reaches the server; meanwhile another writer renames the workflow.
        custom('another writer, then the connection fails', async () => {
          await other.update(created.id, { name: 'Theirs' })
          throw new TypeError('fetch failed')
        }),
      ],
    })
    const error = await check.rejects(
      s.client({ fetch: f.fetch }).workflows.update(created.id, { name: 'Mine' }, { ifVersion: 1 }),
      PreconditionFailedError,
      'my update after another writer’s',
    )
    check.equal(
      f.selected().map((a) => [a.behaviour, a.status]),
      [
        ['another writer, then the connection fails', undefined],
        ['pass', 412],
      ],
      'the PATCH attempts',
    )
    expectAnswerError(error, f.selected()[1]!, 412, 'precondition_failed')
    // It looked at the audit trail (versions 1 and 2) before giving up.
    const looked = f.calls.filter((c) => c.method === 'GET').map((c) => c.path)
    check.ok(looked.includes(`/v1/workflows/${created.id}/versions/2`), 'the client read version 2 before giving up', looked)
    const now = await s.wf.retrieve(created.id)
    check.equal([now.name, now.version], ['Theirs', 2], 'the other writer’s change stands')
    check.equal(await versionNumbers(s.wf, created.id), [2, 1], 'mine was never written')
  },

  async '(b) its own lost write, then another writer’s → its own write recognised (version ifVersion + 1)'(ctx) {
    const s = await newOrg(ctx, 'lost update, then other writer')
    const created = await s.wf.create(SMALL())
    const other = s.client({ apiKey: (await s.newLiveKey('other writer')).secret }).workflows
    const f = faulty({
      when: on('PATCH', `/v1/workflows/${created.id}`),
      plan: [
        custom('committed, answer lost, then another writer', async (real, input, init) => {
          await (await real(input, init)).text()
          await other.update(created.id, { name: 'Theirs' })
          throw new TypeError('fetch failed')
        }),
      ],
    })
    const mine = await s.client({ fetch: f.fetch }).workflows.update(created.id, { name: 'Mine' }, { ifVersion: 1 })
    check.equal(
      f.selected().map((a) => a.status),
      [undefined, 412],
      'the retry met 412',
    )
    check.equal([mine.name, mine.version, mine.status], ['Mine', 2, 'active'], 'my write, as version 2')
    check.equal(mine.updated_at, (await s.wf.version(created.id, 2)).created_at, 'updated_at is when version 2 was written')
    const now = await s.wf.retrieve(created.id)
    check.equal([now.name, now.version], ['Theirs', 3], 'the other writer’s change came after')
  },

  async '(c) a 503, then success: one retry, the call succeeds'(ctx) {
    const s = await newOrg(ctx, '503')
    const created = await s.wf.create(SMALL())
    const unavailable = answer(503, { error: 'Service unavailable.', code: 'unavailable' })
    const f = faulty({ when: on('GET', `/v1/workflows/${created.id}`), plan: [unavailable] })
    const wf = s.client({ fetch: f.fetch }).workflows
    check.equal(await wf.retrieve(created.id), created, 'retrieve after a 503')
    check.equal(
      f.calls.map((c) => [c.behaviour, c.status]),
      [
        ['answer', 503],
        ['pass', 200],
      ],
      'fetch called twice',
    )

    const g = faulty({ when: on('POST', '/v1/workflows'), plan: [unavailable] })
    const made = await s.client({ fetch: g.fetch }).workflows.create(SMALL('After 503'))
    check.equal(
      g.calls.map((c) => [c.behaviour, c.status]),
      [
        ['answer', 503],
        ['pass', 201],
      ],
      'create: fetch called twice',
    )
    check.equal(g.calls[0]?.headers['idempotency-key'], g.calls[1]?.headers['idempotency-key'], 'the same Idempotency-Key')
    check.equal(await idsOf(s.wf), [made.id, created.id], 'one workflow created')
  },

  async '(d) a stall past timeoutMs 200 with maxRetries 1 → WfTimeoutError after exactly 2 attempts'(ctx) {
    const s = await newOrg(ctx, 'stall')
    const created = await s.wf.create(SMALL())
    const f = faulty({ plan: [stall, stall, stall] })
    const wf = s.client({ fetch: f.fetch, timeoutMs: 200, maxRetries: 1 }).workflows
    const error = await check.rejects(wf.retrieve(created.id), WfTimeoutError, 'retrieve while the network stalls')
    check.equal(error.name, 'WfTimeoutError', 'name')
    check.equal(
      f.calls.map((c) => c.behaviour),
      ['stall', 'stall'],
      'exactly 2 attempts',
    )
    for (const c of f.calls) check.equal((c.error as { name?: string } | undefined)?.name, 'AbortError', 'each stalled attempt was aborted')
    // The same for a create: nothing reached the server.
    const g = faulty({ plan: [stall, stall, stall] })
    await check.rejects(
      s.client({ fetch: g.fetch, timeoutMs: 200, maxRetries: 1 }).workflows.create(SMALL('Never')),
      WfTimeoutError,
      'create while the network stalls',
    )
    check.equal(g.calls.length, 2, 'create: exactly 2 attempts')
    check.equal(await idsOf(s.wf), [created.id], 'nothing created')
  },

  async '(e) a 429 with Retry-After: 1, once → success after one retry, having waited'(ctx) {
    const s = await newOrg(ctx, 'retry-after')
    const created = await s.wf.create(SMALL())
    const limited = answer(429, { error: 'Rate limit exceeded.', code: 'rate_limited', request_id: 'req_injected' }, { 'retry-after': '1' })
    const f = faulty({ plan: [limited] })
    const page = await s.client({ fetch: f.fetch }).workflows.list()
    check.equal(
      page.data.map((w) => w.id),
      [created.id],
      'the list after the 429',
    )
    check.equal(
      f.calls.map((c) => [c.behaviour, c.status]),
      [
        ['answer', 429],
        ['pass', 200],
      ],
      'one retry',
    )
    const waited = f.calls[1]!.at - f.calls[0]!.at
    check.ok(waited >= 900, 'the retry waited for Retry-After (1 s)', waited)

    // An update without ifVersion is retried after a 429 too: the server did nothing.
    const g = faulty({ plan: [limited] })
    const renamed = await s.client({ fetch: g.fetch }).workflows.update(created.id, { name: 'After 429' })
    check.equal([renamed.name, renamed.version, g.calls.length], ['After 429', 2, 2], 'update after a 429: one retry')
  },

  async '(f) abort while the fetch stalls → AbortError at once, no retry'(ctx) {
    const s = await newOrg(ctx, 'abort')
    const created = await s.wf.create(SMALL())
    const f = faulty({ plan: [stall, stall, stall] })
    const wf = s.client({ fetch: f.fetch, timeoutMs: 60_000 }).workflows
    const controller = new AbortController()
    const stalled = f.stalled()
    const pending = wf.retrieve(created.id, { signal: controller.signal })
    await stalled
    controller.abort()
    await abortError(pending, 'retrieve aborted by the caller')
    check.equal(f.calls.length, 1, 'exactly one fetch')
    // No retry later either (the first backoff is at most 500 ms).
    await sleep(700)
    check.equal(f.calls.length, 1, 'still one fetch after 700 ms')
    check.equal((f.calls[0]?.error as { name?: string } | undefined)?.name, 'AbortError', 'the fetch was aborted')

    // A change without ifVersion (never retried): the caller's abort, not a WfConnectionError.
    const u = faulty({ plan: [stall, stall, stall] })
    const updating = new AbortController()
    const stalledUpdate = u.stalled()
    const renaming = s
      .client({ fetch: u.fetch, timeoutMs: 60_000 })
      .workflows.update(created.id, { name: 'Aborted' }, { signal: updating.signal })
    await stalledUpdate
    updating.abort()
    await abortError(renaming, 'update without ifVersion aborted by the caller')
    check.equal(u.calls.length, 1, 'update: exactly one fetch')

    // The client's own signal aborts every call, a create too.
    const clientController = new AbortController()
    const g = faulty({ plan: [stall, stall, stall] })
    const aborting = s.client({ fetch: g.fetch, timeoutMs: 60_000, signal: clientController.signal }).workflows
    const stalledCreate = g.stalled()
    const creating = aborting.create(SMALL('Aborted'))
    await stalledCreate
    clientController.abort()
    await abortError(creating, 'create aborted by the client’s signal')
    check.equal(g.calls.length, 1, 'create: exactly one fetch')
    await abortError(aborting.list(), 'a call on a client whose signal has aborted')
    check.equal(g.calls.length, 1, 'no fetch once the client’s signal has aborted')
  },

  async '(g) update without ifVersion after a lost answer: not retried, WfConnectionError, one version written'(ctx) {
    const s = await newOrg(ctx, 'lost update without ifVersion')
    const created = await s.wf.create(SMALL())
    const f = faulty({ plan: [lose, lose, lose] })
    const error = await check.rejects(
      s.client({ fetch: f.fetch }).workflows.update(created.id, { name: 'Once' }),
      WfConnectionError,
      'update without ifVersion, answer lost',
    )
    check.ok(error.cause instanceof TypeError, 'the cause is fetch’s TypeError', error.cause)
    check.equal(
      f.calls.map((c) => [c.method, c.behaviour, c.status]),
      [['PATCH', 'lose', 200]],
      'fetch called once',
    )
    check.equal(await versionNumbers(s.wf, created.id), [2, 1], 'exactly one version written')
    check.equal((await s.wf.retrieve(created.id)).name, 'Once', 'the write happened')
  },
}
