/**
 * The client's integration scenarios: `@wf/client` against a real target (the Node server, the
 * edge app in workerd, or any URL), each an `async (ctx) => void` that throws on failure.
 *
 * Written only against the client's public API and web-platform globals (no test framework, no
 * `node:` module), so the same scenarios run under vitest in Node (in-node.test.ts) and bundled
 * into a Worker in workerd (in-worker.test.ts, worker-entry.ts). Each scenario makes its own
 * organization and keys with `createAdminClient`, so they run in any order and at once.
 *
 * Failures without an answer (a lost response, a stall, a 503 from a proxy, an abort) come from
 * `faults.ts`, a wrapper around the global fetch given to the client as its `fetch` option.
 */
import {
  type AdminClient,
  AuthenticationError,
  type Client,
  type ClientOptions,
  ConflictError,
  type CreatedApiKey,
  type CreateWorkflowRequest,
  createAdminClient,
  createClient,
  NotFoundError,
  type Organization,
  PayloadTooLargeError,
  PreconditionFailedError,
  RateLimitError,
  SandboxKeyError,
  type UpdateWorkflowRequest,
  ValidationError,
  WfConnectionError,
  WfError,
  WfTimeoutError,
  type Workflow,
} from '@wf/client'
import { RESOLVED_FIVE_STEPS } from '../src/stored-example.js'
import { type Check, check } from './check.js'
import { answer, custom, faulty, lose, on, type Seen, stall } from './faults.js'

/** What the runner knows about the target; plain JSON, so it can be posted to the Worker. */
export interface ScenarioInput {
  /** `node`, `edge` or `external`. */
  target: string
  /** Relaxed rate limits. */
  baseUrl: string
  /** Tight rate limits (burst 5, one token every 5 s) when `tightLimits`; otherwise the same as baseUrl. */
  limitedUrl: string
  adminToken: string
  tightLimits: boolean
}

export interface Context extends ScenarioInput {
  check: Check
  /** A line for the run's output (figures such as durations). */
  log(line: string): void
}

export type Scenario = (ctx: Context) => Promise<void>

// ---- fixtures -------------------------------------------------------------------------------

/** Every step, some overrides (core's EXAMPLE_CREATE_WORKFLOW, copied: the scenarios import only the client). */
const FIVE_STEPS: CreateWorkflowRequest = {
  name: 'Standard onboarding',
  steps: [
    { id: 'ID_VERIFICATION', config: { minimum_age: 21, escalation_type: 'nfc-passport' } },
    { id: 'FACE_LIVENESS', config: { confidence_threshold: 80 } },
    { id: 'AGE_ESTIMATION' },
    { id: 'PEP_SANCTIONS' },
    { id: 'ADVERSE_MEDIA', config: {} },
  ],
}

const RESOLVED_ID_VERIFICATION = RESOLVED_FIVE_STEPS[0]!.config

const SMALL = (name = 'Small'): CreateWorkflowRequest => ({ name, steps: [{ id: 'PEP_SANCTIONS' }] })

const WORKFLOW_FIELDS = ['id', 'name', 'status', 'organization_id', 'version', 'created_by', 'created_at', 'updated_at', 'steps']
const SUMMARY_FIELDS = ['id', 'name', 'status', 'version', 'steps', 'created_at', 'updated_at']
const VERSION_FIELDS = ['version', 'name', 'status', 'steps', 'created_by', 'created_at']
const API_KEY_FIELDS = ['id', 'organization_id', 'mode', 'name', 'prefix', 'created_at', 'revoked_at']

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const UNKNOWN_WORKFLOW_ID = 'wf_01KZZZZZZZZZZZZZZZZZZZZZZZ'
const SANDBOX_SENTENCE = 'This is a sandbox API key. Use a live API key to create or modify resources.'

/** A body over the 64 KiB limit. */
const OVERSIZED = 70_000

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const hex = (bytes: number) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('')
/** A well-formed key that no organization has. */
const unknownKey = () => `wf_live_${hex(32)}`

/** An organization of its own for one scenario: its admin client, keys, and clients with its live key. */
interface Org {
  url: string
  admin: AdminClient
  org: Organization
  live: CreatedApiKey
  sandbox: CreatedApiKey
  /** A client with the live key (or `apiKey`), options as given. */
  client(options?: Partial<ClientOptions>): Client
  /** `client().workflows`: plain calls, global fetch, default retries. */
  wf: Client['workflows']
  /** Another live key of the same organization. */
  newLiveKey(name?: string): Promise<CreatedApiKey>
}

async function newOrg(ctx: Context, name: string, url = ctx.baseUrl): Promise<Org> {
  const admin = createAdminClient({ baseUrl: url, adminToken: ctx.adminToken })
  const org = await admin.organizations.create({ name: `client: ${name}`.slice(0, 255) })
  const [live, sandbox] = await Promise.all([
    admin.apiKeys.create(org.id, { mode: 'live', name: 'live key' }),
    admin.apiKeys.create(org.id, { mode: 'sandbox' }),
  ])
  const client = (options: Partial<ClientOptions> = {}) => createClient({ baseUrl: url, apiKey: live.secret, ...options })
  return {
    url,
    admin,
    org,
    live,
    sandbox,
    client,
    wf: client().workflows,
    newLiveKey: (keyName = 'another live key') => admin.apiKeys.create(org.id, { mode: 'live', name: keyName }),
  }
}

/** The last call that got an answer. */
function lastAnswered(calls: readonly Seen[]): Seen {
  const seen = calls.findLast((c) => c.responseText !== undefined)
  if (!seen) throw new Error('no call got an answer')
  return seen
}

/**
 * The error is the answer's: `status`, `code`, `message` = the body's `error`, `details` = the
 * body's (or none), `requestId` = the body's `request_id` = the `x-request-id` header.
 */
function expectAnswerError(error: WfError, seen: Seen, status: number, code: string): Record<string, unknown> {
  check.equal(seen.status, status, 'the status the server answered')
  const body = JSON.parse(seen.responseText ?? 'null') as Record<string, unknown>
  check.equal(error.status, status, `${error.name}.status`)
  check.equal(body.code, code, 'the answer body’s code')
  check.equal(error.code, code, `${error.name}.code`)
  check.equal(error.message, body.error, `${error.name}.message is the body's error`)
  check.equal(error.details, body.details ?? [], `${error.name}.details are the body's`)
  check.match(error.requestId, /^req_/, `${error.name}.requestId`)
  check.equal(error.requestId, body.request_id, `${error.name}.requestId is the body's request_id`)
  check.equal(error.requestId, seen.responseHeaders?.get('x-request-id'), `${error.name}.requestId is the x-request-id header`)
  check.ok(error instanceof WfError && error instanceof Error, `${error.name} is a WfError and an Error`)
  return body
}

/** Every workflow of the key's organization, by the ids of one unpaged list. */
async function idsOf(wf: Client['workflows']): Promise<string[]> {
  const page = await wf.list()
  check.equal(page.nextCursor, null, 'an unpaged list has no next cursor')
  return page.data.map((w) => w.id)
}

async function versionNumbers(wf: Client['workflows'], id: string): Promise<number[]> {
  return (await wf.versions(id)).map((v) => v.version)
}

/** An AbortError, whatever realm made it (DOMException is an Error in Node, maybe not elsewhere). */
async function abortError(promise: Promise<unknown>, what: string): Promise<{ name: string; message: string }> {
  try {
    const value = await promise
    return check.fail(`${what}: expected an AbortError, but it resolved`, value)
  } catch (error) {
    const e = error as { name?: unknown; message?: unknown } | null
    check.equal(e?.name, 'AbortError', `${what}: the rejection's name`)
    return e as { name: string; message: string }
  }
}

// ---- round trips ----------------------------------------------------------------------------

const roundTrips: Record<string, Scenario> = {
  async 'admin: organizations.create, apiKeys.create/list/revoke; a revoked key gets AuthenticationError'(ctx) {
    const admin = createAdminClient({ baseUrl: ctx.baseUrl, adminToken: ctx.adminToken })
    const org = await admin.organizations.create({ name: '  Admin round trip  ' })
    check.keys(org, ['id', 'name', 'created_at'], 'organization')
    check.match(org.id, /^org_/, 'organization.id')
    check.equal(org.name, 'Admin round trip', 'organization.name (trimmed)')
    check.match(org.created_at, ISO_MS, 'organization.created_at')

    const live = await admin.apiKeys.create(org.id, { mode: 'live', name: 'ci' })
    const sandbox = await admin.apiKeys.create(org.id, { mode: 'sandbox' })
    for (const [key, mode, name] of [
      [live, 'live', 'ci'],
      [sandbox, 'sandbox', null],
    ] as const) {
      check.keys(key, ['apiKey', 'secret'], 'created key')
      check.keys(key.apiKey, API_KEY_FIELDS, 'api key')
      check.match(key.apiKey.id, /^key_/, 'apiKey.id')
      check.equal(key.apiKey.organization_id, org.id, 'apiKey.organization_id')
      check.equal(key.apiKey.mode, mode, 'apiKey.mode')
      check.equal(key.apiKey.name, name, 'apiKey.name')
      check.equal(key.apiKey.revoked_at, null, 'apiKey.revoked_at of a new key')
      check.match(key.secret, mode === 'live' ? /^wf_live_[A-Za-z0-9_-]{22,}$/ : /^wf_sandbox_[A-Za-z0-9_-]{22,}$/, 'secret')
      check.ok(key.secret.startsWith(key.apiKey.prefix), 'the secret starts with the key’s prefix', key)
      check.ok(key.apiKey.prefix.length < key.secret.length, 'the prefix is not the whole secret', key)
    }

    const listed = await admin.apiKeys.list(org.id)
    check.equal(
      [...listed].sort((a, b) => a.id.localeCompare(b.id)),
      [live.apiKey, sandbox.apiKey].sort((a, b) => a.id.localeCompare(b.id)),
      'apiKeys.list: both keys as created, no secret',
    )
    check.ok(!JSON.stringify(listed).includes(live.secret), 'apiKeys.list never shows a secret')

    const client = createClient({ baseUrl: ctx.baseUrl, apiKey: live.secret })
    check.equal((await client.workflows.list()).data, [], 'a new organization has no workflows')

    const revoked = await admin.apiKeys.revoke(live.apiKey.id)
    check.equal({ ...revoked, revoked_at: null }, live.apiKey, 'revoke answers the key, only revoked_at changed')
    check.match(revoked.revoked_at, ISO_MS, 'revoked_at')
    const again = await admin.apiKeys.revoke(live.apiKey.id)
    check.equal(again.revoked_at, revoked.revoked_at, 'revoking again keeps the first revoked_at')
    const afterRevoke = await admin.apiKeys.list(org.id)
    check.equal(afterRevoke.find((k) => k.id === live.apiKey.id)?.revoked_at, revoked.revoked_at, 'apiKeys.list shows revoked_at')

    const calls = faulty()
    const error = await check.rejects(
      createClient({ baseUrl: ctx.baseUrl, apiKey: live.secret, fetch: calls.fetch }).workflows.list(),
      AuthenticationError,
      'a call with the revoked key',
    )
    expectAnswerError(error, lastAnswered(calls.calls), 401, 'unauthorized')
    check.equal(calls.calls.length, 1, 'a 401 is not retried')
    // The sandbox key still works.
    check.equal((await createClient({ baseUrl: ctx.baseUrl, apiKey: sandbox.secret }).workflows.list()).data, [], 'sandbox list')
  },

  async 'create answers the record with the contract’s fields; retrieve answers the same'(ctx) {
    const s = await newOrg(ctx, 'create')
    const created = await s.wf.create(FIVE_STEPS)
    check.keys(created, WORKFLOW_FIELDS, 'created workflow')
    check.match(created.id, /^wf_/, 'id')
    check.equal(
      { ...created, id: '', created_at: '', updated_at: '' },
      {
        id: '',
        name: 'Standard onboarding',
        status: 'active',
        organization_id: s.org.id,
        version: 1,
        created_by: s.live.apiKey.id,
        created_at: '',
        updated_at: '',
        steps: RESOLVED_FIVE_STEPS,
      },
      'created workflow',
    )
    check.match(created.created_at, ISO_MS, 'created_at')
    check.equal(created.updated_at, created.created_at, 'updated_at of a new workflow')
    for (const step of created.steps) check.keys(step, ['id', 'config'], `step ${step.id}`)
    check.keys(created.steps[0]?.config, Object.keys(RESOLVED_ID_VERIFICATION), 'ID_VERIFICATION config, in the contract’s order')

    check.equal(await s.wf.retrieve(created.id), created, 'retrieve')
    // The sandbox key reads the same record.
    const sandbox = createClient({ baseUrl: ctx.baseUrl, apiKey: s.sandbox.secret })
    check.equal(await sandbox.workflows.retrieve(created.id), created, 'retrieve with the sandbox key')
    // A name with white space around it is stored trimmed.
    const trimmed = await s.wf.create({ name: '  Trimmed\t', steps: [{ id: 'AGE_ESTIMATION', config: { minimum_age: 21 } }] })
    check.equal(trimmed.name, 'Trimmed', 'a created name is trimmed')
    check.equal(trimmed.steps, [{ id: 'AGE_ESTIMATION', config: { minimum_age: 21 } }], 'steps')
  },

  async 'list: summaries newest first, data + nextCursor, limit, cursor and status'(ctx) {
    const s = await newOrg(ctx, 'list')
    const created: Workflow[] = []
    for (let i = 0; i < 5; i++) created.push(await s.wf.create(i === 0 ? FIVE_STEPS : SMALL(`W${i}`)))
    const newestFirst = created.map((w) => w.id).reverse()

    const all = await s.wf.list()
    check.keys(all, ['data', 'nextCursor'], 'list page')
    check.equal(
      all.data.map((w) => w.id),
      newestFirst,
      'list, newest first',
    )
    check.equal(all.nextCursor, null, 'nextCursor of the only page')
    for (const summary of all.data) check.keys(summary, SUMMARY_FIELDS, 'summary')
    const first = created[0]!
    check.equal(
      all.data.at(-1),
      {
        id: first.id,
        name: first.name,
        status: 'active',
        version: 1,
        steps: ['ID_VERIFICATION', 'FACE_LIVENESS', 'AGE_ESTIMATION', 'PEP_SANCTIONS', 'ADVERSE_MEDIA'],
        created_at: first.created_at,
        updated_at: first.updated_at,
      },
      'the oldest summary: steps as ids',
    )

    const p1 = await s.wf.list({ limit: 2 })
    check.equal(
      p1.data.map((w) => w.id),
      newestFirst.slice(0, 2),
      'page 1 (limit 2)',
    )
    check.ok(typeof p1.nextCursor === 'string' && p1.nextCursor !== '', 'page 1 has a nextCursor', p1.nextCursor)
    const p2 = await s.wf.list({ limit: 2, cursor: p1.nextCursor! })
    check.equal(
      p2.data.map((w) => w.id),
      newestFirst.slice(2, 4),
      'page 2',
    )
    const p3 = await s.wf.list({ limit: 2, cursor: p2.nextCursor! })
    check.equal(
      p3.data.map((w) => w.id),
      newestFirst.slice(4),
      'page 3',
    )
    check.equal(p3.nextCursor, null, 'the last page has no nextCursor')

    await s.wf.archive(created[1]!.id)
    check.equal(
      (await s.wf.list({ status: 'archived' })).data.map((w) => [w.id, w.status]),
      [[created[1]!.id, 'archived']],
      'status archived',
    )
    check.equal(
      (await s.wf.list({ status: 'active' })).data.map((w) => w.id),
      newestFirst.filter((id) => id !== created[1]!.id),
      'status active',
    )

    // listAll follows the cursors: every workflow once, newest first; with a status too.
    const walked: string[] = []
    for await (const w of s.wf.listAll({ pageSize: 2 })) walked.push(w.id)
    check.equal(walked, newestFirst, 'listAll({ pageSize: 2 })')
    const active: string[] = []
    for await (const w of s.wf.listAll({ pageSize: 1, status: 'active' })) active.push(w.id)
    check.equal(
      active,
      newestFirst.filter((id) => id !== created[1]!.id),
      'listAll({ pageSize: 1, status: active })',
    )
    // Another organization's workflows are not listed.
    const other = await newOrg(ctx, 'list, other')
    check.equal((await other.wf.list()).data, [], 'another organization lists nothing')
  },

  async 'update: rename, replace the steps, an empty change; version + 1 for each change'(ctx) {
    const s = await newOrg(ctx, 'update')
    const created = await s.wf.create(FIVE_STEPS)
    const second = await s.newLiveKey()
    const wf2 = s.client({ apiKey: second.secret }).workflows

    const renamed = await wf2.update(created.id, { name: 'Renamed' })
    check.keys(renamed, WORKFLOW_FIELDS, 'updated workflow')
    check.equal(
      { ...renamed, updated_at: '' },
      { ...created, name: 'Renamed', version: 2, updated_at: '' },
      'rename: the name and version changed, nothing else (created_by stays the creator)',
    )
    check.ok(renamed.updated_at >= created.updated_at, 'updated_at moves forward', [created.updated_at, renamed.updated_at])

    const steps = [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 95 } }, { id: 'PEP_SANCTIONS' }] as const
    const restepped = await s.wf.update(created.id, { steps: [...steps] }, { ifVersion: 2 })
    check.equal(restepped.version, 3, 'replace the steps (with ifVersion): version')
    check.equal(restepped.name, 'Renamed', 'the name stays')
    check.equal(
      restepped.steps,
      [
        { id: 'FACE_LIVENESS', config: { confidence_threshold: 95 } },
        { id: 'PEP_SANCTIONS', config: {} },
      ],
      'the steps are replaced, resolved',
    )

    const both = await s.wf.update(created.id, { name: 'Both', steps: [{ id: 'ADVERSE_MEDIA' }] })
    check.equal([both.version, both.name, both.steps], [4, 'Both', [{ id: 'ADVERSE_MEDIA', config: {} }]], 'name and steps at once')

    const unchanged = await s.wf.update(created.id, {})
    check.equal(unchanged, both, 'an empty change answers the workflow unchanged')
    const same = await s.wf.update(created.id, { name: 'Both' }, { ifVersion: 4 })
    check.equal(same, both, 'a change that changes nothing does not bump the version')
    check.equal(await s.wf.retrieve(created.id), both, 'retrieve after the updates')
    check.equal(await versionNumbers(s.wf, created.id), [4, 3, 2, 1], 'versions written')
    check.equal((await s.wf.version(created.id, 2)).created_by, second.apiKey.id, 'version 2 was written by the second key')
  },

  async 'updateStepConfig: the given fields change, the others keep their values'(ctx) {
    const s = await newOrg(ctx, 'step config')
    const created = await s.wf.create(FIVE_STEPS)
    const changed = await s.wf.updateStepConfig(created.id, 'ID_VERIFICATION', { minimum_age: 25, require_secondary_id: true })
    check.equal(changed.version, 2, 'version')
    check.equal(
      changed.steps,
      [
        { id: 'ID_VERIFICATION', config: { ...RESOLVED_ID_VERIFICATION, minimum_age: 25, require_secondary_id: true } },
        ...RESOLVED_FIVE_STEPS.slice(1),
      ],
      'only the given fields changed',
    )
    const again = await s.wf.updateStepConfig(created.id, 'FACE_LIVENESS', { confidence_threshold: 99 }, { ifVersion: 2 })
    check.equal(again.version, 3, 'with ifVersion: version')
    check.equal(again.steps[1], { id: 'FACE_LIVENESS', config: { confidence_threshold: 99 } }, 'FACE_LIVENESS')
    check.equal(again.steps[0], changed.steps[0], 'ID_VERIFICATION kept')
    check.equal(await s.wf.retrieve(created.id), again, 'retrieve')
  },

  async 'archive: archived and version + 1; archiving again changes nothing'(ctx) {
    const s = await newOrg(ctx, 'archive')
    const created = await s.wf.create(SMALL())
    const archived = await s.wf.archive(created.id)
    check.keys(archived, WORKFLOW_FIELDS, 'archived workflow')
    check.equal(
      { ...archived, updated_at: '' },
      { ...created, status: 'archived', version: 2, updated_at: '' },
      'archived: status and version changed',
    )
    const again = await s.wf.archive(created.id)
    check.equal(again, archived, 'archiving again answers the same record')
    const withVersion = await s.wf.archive(created.id, { ifVersion: 2 })
    check.equal(withVersion, archived, 'and with ifVersion')
    check.equal(await versionNumbers(s.wf, created.id), [2, 1], 'no version written by the second archive')
    check.equal(await s.wf.retrieve(created.id), archived, 'the archived record stays readable')
  },

  async 'versions: newest first, as written; version(id, n) is one of them'(ctx) {
    const s = await newOrg(ctx, 'versions')
    const created = await s.wf.create(FIVE_STEPS)
    const other = await s.newLiveKey('second writer')
    await s.client({ apiKey: other.secret }).workflows.update(created.id, { name: 'V2' })
    await s.wf.updateStepConfig(created.id, 'AGE_ESTIMATION', { minimum_age: 30 })
    const archived = await s.wf.archive(created.id)

    const versions = await s.wf.versions(created.id)
    for (const v of versions) check.keys(v, VERSION_FIELDS, `version ${v.version}`)
    check.equal(
      versions.map((v) => [v.version, v.name, v.status, v.created_by]),
      [
        [4, 'V2', 'archived', s.live.apiKey.id],
        [3, 'V2', 'active', s.live.apiKey.id],
        [2, 'V2', 'active', other.apiKey.id],
        [1, 'Standard onboarding', 'active', s.live.apiKey.id],
      ],
      'versions, newest first, with the key that wrote each',
    )
    check.equal(versions[3]!.steps, created.steps, 'version 1 holds the steps as created')
    check.equal(versions[3]!.created_at, created.created_at, 'version 1 created_at')
    check.equal(versions[0]!.created_at, archived.updated_at, 'the newest version is the record’s updated_at')
    check.equal(versions[1]!.steps[2], { id: 'AGE_ESTIMATION', config: { minimum_age: 30 } }, 'version 3 holds the config change')
    for (const v of versions) check.equal(await s.wf.version(created.id, v.version), v, `version(id, ${v.version})`)
  },
}

// ---- every error status maps to its class -----------------------------------------------------

const errors: Record<string, Scenario> = {
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

// ---- failures without an answer: retries that never duplicate a write ----------------------------

const faults: Record<string, Scenario> = {
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

// ---- listAll over 2,500 workflows while another writer creates ----------------------------------

export const BULK = 2_500
const PAGE = 100

const bulk: Record<string, Scenario> = {
  async 'listAll over 2,500 workflows yields each exactly once while another writer keeps creating'(ctx) {
    const s = await newOrg(ctx, 'listAll 2500')
    // The rate limit is per key: the creates are spread over four keys, the reader and the writer have their own.
    const keys = await Promise.all([1, 2, 3, 4].map((i) => s.newLiveKey(`bulk ${i}`)))
    const creators = keys.map((k) => s.client({ apiKey: k.secret, maxRetries: 8 }).workflows)
    const started = Date.now()
    const created = new Set<string>()
    let next = 0
    await Promise.all(
      Array.from({ length: 16 }, async (_, lane) => {
        for (let i = next++; i < BULK; i = next++) {
          created.add((await creators[lane % creators.length]!.create({ name: `Bulk ${i}`, steps: [{ id: 'PEP_SANCTIONS' }] })).id)
        }
      }),
    )
    const createdMs = Date.now() - started
    check.equal(created.size, BULK, 'distinct workflows created')

    const writer = s.client({ apiKey: (await s.newLiveKey('writer')).secret, maxRetries: 8 }).workflows
    const reader = s.client({ apiKey: (await s.newLiveKey('reader')).secret, maxRetries: 8 }).workflows
    const during = new Set<string>()
    let done = false
    let wake: (() => void) | undefined
    let walkBegan: () => void = () => {}
    const began = new Promise<void>((resolve) => (walkBegan = resolve))
    // The writer starts once the first page is in: everything it creates is newer than the walk's start.
    let writerFailed: { error: unknown } | undefined
    const writing = (async () => {
      await began
      try {
        for (let i = 0; !done; i++) {
          during.add((await writer.create({ name: `During ${i}`, steps: [{ id: 'ADVERSE_MEDIA' }] })).id)
          wake?.()
        }
      } catch (error) {
        writerFailed = { error }
        wake?.()
      }
    })()
    // Interleave by counts: before each page after the first is fetched, the writer has created one more workflow.
    const waitForWriter = async (count: number) => {
      while (during.size < count) {
        if (writerFailed) check.fail('the concurrent writer failed', writerFailed.error)
        await new Promise<void>((resolve) => (wake = resolve))
      }
    }

    const walkStarted = Date.now()
    const seen: string[] = []
    const seenOnce = new Set<string>()
    const twice: string[] = []
    try {
      for await (const w of reader.listAll({ pageSize: PAGE })) {
        if (seenOnce.has(w.id)) twice.push(w.id)
        seen.push(w.id)
        seenOnce.add(w.id)
        if (seen.length === 1) walkBegan()
        // The last item of a full page: the next page is fetched only when the loop asks for more.
        if (seen.length % PAGE === 0) await waitForWriter(seen.length / PAGE)
      }
    } finally {
      done = true
      walkBegan()
      await writing
    }
    const walkMs = Date.now() - walkStarted
    if (writerFailed) check.fail('the concurrent writer failed', writerFailed.error)

    const pages = Math.ceil(seen.length / PAGE)
    check.equal(twice.slice(0, 10), [], 'no id seen twice')
    const missing = [...created].filter((id) => !seenOnce.has(id))
    check.equal(missing.length, 0, `every one of the ${BULK} seen (${missing.slice(0, 5).join(', ')}…)`)
    check.ok(seen.length >= BULK, `at least ${BULK} seen`, seen.length)
    const strangers = seen.filter((id) => !created.has(id) && !during.has(id))
    check.equal(strangers, [], 'nothing but this organization’s workflows')
    // Contract §8: ones created during the walk are newer and are not returned.
    check.equal(
      seen.filter((id) => during.has(id)),
      [],
      'no workflow created during the walk',
    )
    const descending = seen.every((id, i) => i === 0 || seen[i - 1]! > id)
    check.ok(descending, 'newest first across the pages (ids descending)')
    check.ok(during.size >= pages - 1, 'the writer created a workflow between each two pages', { during: during.size, pages })
    ctx.log(
      `listAll ${BULK} (${ctx.target}): created in ${(createdMs / 1000).toFixed(1)} s; walk of ${pages} pages in ` +
        `${(walkMs / 1000).toFixed(1)} s, ${seen.length} seen, ${during.size} created during the walk; ` +
        `total ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
  },
}

// ---- what the server normalises, and long-lived signals ---------------------------------------

/**
 * A lost write is recognised even where the server stored something other than what was sent
 * (a trimmed name, the fraud flag an escalation forces on), and a client-wide signal outlives its
 * calls without collecting listeners. Each of these failed against the first client.
 */
const normalised: Record<string, Scenario> = {
  async 'own write after a lost answer: a name sent with white space around it (stored trimmed) is recognised'(ctx) {
    const s = await newOrg(ctx, 'trimmed name')
    const created = await s.wf.create(SMALL())
    const f = faulty({ when: on('PATCH', `/v1/workflows/${created.id}`), plan: [lose] })
    const updated = await s.client({ fetch: f.fetch }).workflows.update(created.id, { name: '  Spaced  ' }, { ifVersion: 1 })
    check.equal([updated.name, updated.version], ['Spaced', 2], 'the lost write, recognised')
  },

  async 'own write after a lost answer: enable_fraud_analysis false that an escalation forces to true is recognised'(ctx) {
    const s = await newOrg(ctx, 'forced fraud analysis')
    const created = await s.wf.create({ name: 'Fraud', steps: [{ id: 'ID_VERIFICATION' }] })
    const f = faulty({ when: on('PATCH', `/v1/workflows/${created.id}/steps/ID_VERIFICATION/config`), plan: [lose] })
    const config = { escalation_type: 'nfc-passport', enable_fraud_analysis: false } as const
    const updated = await s.client({ fetch: f.fetch }).workflows.updateStepConfig(created.id, 'ID_VERIFICATION', config, { ifVersion: 1 })
    check.equal(
      [updated.version, updated.steps[0]?.config],
      [2, { ...RESOLVED_ID_VERIFICATION, minimum_age: 18, enable_fraud_analysis: true }],
      'the lost write, recognised',
    )
  },

  async 'a client-wide signal with a per-call signal: no abort listener is left behind after each call'(ctx) {
    const s = await newOrg(ctx, 'listeners')
    const created = await s.wf.create(SMALL())
    const controller = new AbortController()
    const signal = controller.signal
    let live = 0
    const add = signal.addEventListener.bind(signal)
    const remove = signal.removeEventListener.bind(signal)
    signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      live++
      add(...args)
    }) as AbortSignal['addEventListener']
    signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      live--
      remove(...args)
    }) as AbortSignal['removeEventListener']
    const wf = s.client({ signal }).workflows
    for (let i = 0; i < 5; i++) await wf.retrieve(created.id, { signal: new AbortController().signal })
    check.equal(live, 0, 'abort listeners left on the client’s signal after 5 finished calls')
  },
}

/** Every scenario, by name. */
export const scenarios: Record<string, Scenario> = { ...roundTrips, ...errors, ...faults, ...normalised, ...bulk }

/** Longer than the default 30 s: the runner's timeout for these. */
export const TIMEOUTS: Record<string, number> = {
  [Object.keys(bulk)[0]!]: 600_000,
}

/** The same per-scenario setup for every runner: the context from the plain input. */
export function contextFor(input: ScenarioInput, log: (line: string) => void): Context {
  return { ...input, check, log }
}
