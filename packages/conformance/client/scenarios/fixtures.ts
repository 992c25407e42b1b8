/** What the scenarios share: requests, expected shapes, an organization with its keys, small helpers. */
import {
  type AdminClient,
  type Client,
  type ClientOptions,
  type CreatedApiKey,
  type CreateWorkflowRequest,
  createAdminClient,
  createClient,
  type Organization,
  WfError,
} from '@wf/client'
import { RESOLVED_FIVE_STEPS } from '../../src/stored-example.js'
import { check } from '../check.js'
import type { Seen } from '../faults.js'
import type { Context } from './context.js'

export { RESOLVED_FIVE_STEPS }

/** Every step, some overrides (core's EXAMPLE_CREATE_WORKFLOW, copied: the scenarios import only the client). */
export const FIVE_STEPS: CreateWorkflowRequest = {
  name: 'Standard onboarding',
  steps: [
    { id: 'ID_VERIFICATION', config: { minimum_age: 21, escalation_type: 'nfc-passport' } },
    { id: 'FACE_LIVENESS', config: { confidence_threshold: 80 } },
    { id: 'AGE_ESTIMATION' },
    { id: 'PEP_SANCTIONS' },
    { id: 'ADVERSE_MEDIA', config: {} },
  ],
}

export const RESOLVED_ID_VERIFICATION = RESOLVED_FIVE_STEPS[0]!.config

export const SMALL = (name = 'Small'): CreateWorkflowRequest => ({ name, steps: [{ id: 'PEP_SANCTIONS' }] })

export const WORKFLOW_FIELDS = ['id', 'name', 'status', 'organization_id', 'version', 'created_by', 'created_at', 'updated_at', 'steps']
export const SUMMARY_FIELDS = ['id', 'name', 'status', 'version', 'steps', 'created_at', 'updated_at']
export const VERSION_FIELDS = ['version', 'name', 'status', 'steps', 'created_by', 'created_at']
export const API_KEY_FIELDS = ['id', 'organization_id', 'mode', 'name', 'prefix', 'created_at', 'revoked_at']

export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
export const UNKNOWN_WORKFLOW_ID = 'wf_01KZZZZZZZZZZZZZZZZZZZZZZZ'
export const SANDBOX_SENTENCE = 'This is a sandbox API key. Use a live API key to create or modify resources.'

/** A body over the 64 KiB limit. */
export const OVERSIZED = 70_000

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
export const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('')
/** A well-formed key that no organization has. */
export const unknownKey = () => `wf_live_${hex(32)}`

/** An organization of its own for one scenario: its admin client, keys, and clients with its live key. */
export interface Org {
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

export async function newOrg(ctx: Context, name: string, url = ctx.baseUrl): Promise<Org> {
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
export function lastAnswered(calls: readonly Seen[]): Seen {
  const seen = calls.findLast((c) => c.responseText !== undefined)
  if (!seen) throw new Error('no call got an answer')
  return seen
}

/**
 * The error is the answer's: `status`, `code`, `message` = the body's `error`, `details` = the
 * body's (or none), `requestId` = the body's `request_id` = the `x-request-id` header.
 */
export function expectAnswerError(error: WfError, seen: Seen, status: number, code: string): Record<string, unknown> {
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
export async function idsOf(wf: Client['workflows']): Promise<string[]> {
  const page = await wf.list()
  check.equal(page.nextCursor, null, 'an unpaged list has no next cursor')
  return page.data.map((w) => w.id)
}

export async function versionNumbers(wf: Client['workflows'], id: string): Promise<number[]> {
  return (await wf.versions(id)).map((v) => v.version)
}

/** An AbortError, whatever realm made it (DOMException is an Error in Node, maybe not elsewhere). */
export async function abortError(promise: Promise<unknown>, what: string): Promise<{ name: string; message: string }> {
  try {
    const value = await promise
    return check.fail(`${what}: expected an AbortError, but it resolved`, value)
  } catch (error) {
    const e = error as { name?: unknown; message?: unknown } | null
    check.equal(e?.name, 'AbortError', `${what}: the rejection's name`)
    return e as { name: string; message: string }
  }
}
