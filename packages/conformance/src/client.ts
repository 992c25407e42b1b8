/**
 * The suite's only way to reach the target: `fetch` to the provided base URL. `api()` sends one
 * request and reads the whole reply (in the replicas project, each request to the next replica:
 * BASE_URLS); the admin helpers make the organizations and keys each test file uses, through
 * /admin/v1 (contract §4 "Admin"), so the suite needs nothing but a URL and the admin token.
 */
import { expect, inject } from 'vitest'
import './provided.js'
import { roundRobin } from './round-robin.js'

export const TARGET = inject('target')
export const BASE_URL = inject('baseUrl')
export const LIMITED_URL = inject('limitedUrl')
export const ADMIN_TOKEN = inject('adminToken')
/**
 * Every replica of each target (replicas project: two Node servers on one database; elsewhere the
 * one URL). A request to BASE_URL or LIMITED_URL goes to the next of its replicas in turn, so
 * consecutive requests of a test, and concurrent ones, are spread over them; `replica` pins one.
 */
export const BASE_URLS = inject('baseUrls') ?? [BASE_URL]
export const LIMITED_URLS = inject('limitedUrls') ?? [LIMITED_URL]
const replicas = roundRobin([BASE_URLS, LIMITED_URLS])

// biome-ignore lint/suspicious/noExplicitAny: replies are arbitrary JSON; the schema checks in expect.ts are what type them
export type Json = any

export interface Reply {
  status: number
  headers: Headers
  /** The body exactly as received. */
  text: string
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: Json
}

export interface RequestOptions {
  /** Sent as x-api-key. */
  key?: string
  /** A string is sent as is; any other value as JSON. Either way with content-type application/json unless `headers` says otherwise. */
  body?: unknown
  /** A body sent exactly as given, with no implied content type (bytes, a stream). */
  raw?: NonNullable<RequestInit['body']>
  headers?: Record<string, string>
  /** Another base URL (the tight-limits instance). */
  base?: string
  /** Replicas project: this replica (0, 1…) of the target `base` names, instead of the next in turn. */
  replica?: number
  /** Against an external target (default limits), a 429 is waited out and retried unless this is set. */
  noRetry?: boolean
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function api(method: string, path: string, opts: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {}
  if (opts.key !== undefined) headers['x-api-key'] = opts.key
  let body: RequestInit['body'] = opts.raw
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
    headers['content-type'] = 'application/json'
  }
  Object.assign(headers, opts.headers)
  const init: RequestInit & { duplex?: 'half' } = { method, headers }
  if (body !== undefined) init.body = body
  if (body instanceof ReadableStream) init.duplex = 'half'

  for (let attempt = 1; ; attempt++) {
    const url = `${opts.base ?? BASE_URL}${path}`
    const res = await fetch(opts.replica === undefined ? replicas.next(url) : replicas.at(url, opts.replica), init)
    const text = await res.text()
    if (res.status === 429 && TARGET === 'external' && !opts.noRetry && attempt < 5 && !(body instanceof ReadableStream)) {
      await sleep(1000 * Math.max(1, Number(res.headers.get('retry-after')) || 1))
      continue
    }
    let parsed: Json
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    return { status: res.status, headers: res.headers, text, body: parsed }
  }
}

/** `api()` expecting this status: the reply's body (the text is shown when it differs). */
export async function expectStatus(reply: Promise<Reply> | Reply, status: number): Promise<Json> {
  const r = await reply
  expect(r.status, r.text.slice(0, 500)).toBe(status)
  return r.body
}

// ---- admin (contract §4 "Admin") -----------------------------------------------------------

export const adminHeaders = () => ({ authorization: `Bearer ${ADMIN_TOKEN}` })

export function admin(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = adminHeaders(),
  base = BASE_URL,
): Promise<Reply> {
  return api(method, path, { body, headers, base })
}

export interface ApiKeyCreated {
  id: string
  secret: string
}

export async function newKey(orgId: string, mode: 'live' | 'sandbox' = 'live', name?: string, base = BASE_URL): Promise<ApiKeyCreated> {
  const request = name === undefined ? { mode } : { mode, name }
  const body = await expectStatus(admin('POST', `/admin/v1/organizations/${orgId}/api-keys`, request, adminHeaders(), base), 201)
  return { id: body.api_key.id, secret: body.secret }
}

export async function revokeKey(keyId: string): Promise<Json> {
  return (await expectStatus(admin('DELETE', `/admin/v1/api-keys/${keyId}`), 200)).api_key
}

export interface Org {
  id: string
  /** A live key's secret and id. */
  live: string
  liveKeyId: string
  /** A sandbox key's secret and id. */
  sandbox: string
  sandboxKeyId: string
}

/** A new organization with one live and one sandbox key (on the target, or on `base`). */
export async function newOrg(name = 'Conformance', base = BASE_URL): Promise<Org> {
  const org = (await expectStatus(admin('POST', '/admin/v1/organizations', { name }, adminHeaders(), base), 201)).organization
  const [live, sandbox] = await Promise.all([newKey(org.id, 'live', 'live key', base), newKey(org.id, 'sandbox', undefined, base)])
  return { id: org.id, live: live.secret, liveKeyId: live.id, sandbox: sandbox.secret, sandboxKeyId: sandbox.id }
}

// ---- workflows ------------------------------------------------------------------------------

export const workflowPath = (id: string) => `/v1/workflows/${id}`
export const stepConfigPath = (id: string, step: string) => `/v1/workflows/${id}/steps/${step}/config`
