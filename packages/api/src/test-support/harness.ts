/**
 * A real app over an in-memory SQLite store, with a clock the test moves, for route tests through
 * `app.request()`. Nothing is mocked but time.
 */
import { EXAMPLE_CREATE_WORKFLOW } from '@wf/core'
import * as admin from '@wf/domain'
import { openDatabase } from '@wf/storage/node'
import { KeyIdentities } from '../admission/key-identities.js'
import { createApp } from '../app.js'
import type { Deps, Logger, Settings } from '../env.js'
import { sha256Hex } from '../hash.js'
import { createIdGenerator } from '../ids.js'
import { InMemoryRateLimiter } from '../rate-limit/limiter.js'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'

export interface TestApi {
  deps: Deps
  logs: Record<string, unknown>[]
  /** Moves the clock forward. */
  advance(ms: number): void
  request(method: string, path: string, opts?: RequestOptions): Promise<Response>
  /** A fresh organization with a live and a sandbox key. */
  newOrg(name?: string): Promise<TestOrg>
  close(): void
}

export interface TestOrg {
  id: string
  live: string
  liveKeyId: string
  sandbox: string
}

export interface RequestOptions {
  key?: string
  /** A value is sent as JSON; a string, bytes or a stream are sent as they are. */
  body?: unknown
  headers?: Record<string, string>
}

export function createTestApi(settings: Partial<Settings> = {}): TestApi {
  const { sqlite, store } = openDatabase(':memory:')
  let now = Date.parse('2026-11-26T09:00:00.000Z')
  const logs: Record<string, unknown>[] = []
  const logger: Logger = { info: (e) => logs.push(e), error: (e) => logs.push({ level: 'error', ...e }) }
  const fullSettings: Settings = { adminToken: ADMIN_TOKEN, rateLimit: { rps: 1000, burst: 1000 }, ...settings }
  const deps: Deps = {
    store,
    clock: { now: () => new Date(now) },
    ids: createIdGenerator(),
    sha256Hex,
    changes: admin.oneAtATime(),
    // The edge's admission, the one with more to get right; tests switch to 'sequential' where they need it.
    keys: new KeyIdentities(),
    admission: 'overlapped',
    rateLimiter: new InMemoryRateLimiter(fullSettings.rateLimit),
    logger,
    settings: fullSettings,
  }
  const app = createApp(deps)

  const request = (method: string, path: string, opts: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.key !== undefined) headers['x-api-key'] = opts.key
    let body: RequestInit['body']
    if (opts.body !== undefined) {
      const asIs = typeof opts.body === 'string' || opts.body instanceof Uint8Array || opts.body instanceof ReadableStream
      body = asIs ? (opts.body as RequestInit['body']) : JSON.stringify(opts.body)
      headers['content-type'] ??= 'application/json'
    }
    const init: RequestInit & { duplex?: 'half' } = { method, headers }
    if (body !== undefined) init.body = body
    if (body instanceof ReadableStream) init.duplex = 'half'
    return Promise.resolve(app.request(path, init))
  }

  return {
    deps,
    logs,
    advance: (ms) => {
      now += ms
    },
    request,
    async newOrg(name = 'Acme') {
      const org = await admin.createOrganization(deps, { name })
      const live = await admin.createApiKey(deps, org.id, { mode: 'live', name: 'live key' })
      const sandbox = await admin.createApiKey(deps, org.id, { mode: 'sandbox' })
      return { id: org.id, live: live.secret, liveKeyId: live.api_key.id, sandbox: sandbox.secret }
    },
    close: () => sqlite.close(),
  }
}

/** A valid create body: every step, some overrides. */
export const FIVE_STEPS = EXAMPLE_CREATE_WORKFLOW
