/**
 * The Worker: the same Hono app and store as the Node server, with dependencies built from each
 * request's env (a D1 binding exists per request: nothing opens a database when the module loads).
 */
import { createApp, createIdGenerator, type Deps, KeyIdentities, readApiSettings, sha256Hex } from '@wf/api'
import { oneAtATime, purgeExpiredIdempotencyRecords } from '@wf/domain'
import { createStore, type Store } from '@wf/storage'
import { drizzle } from 'drizzle-orm/d1'
import { DurableObjectRateLimiter, type RateLimiterObject } from './rate-limiter.js'

export { RateLimiterObject as RateLimiter } from './rate-limiter.js'

export interface Env {
  DB: D1Database
  /** The console's static assets (wrangler.jsonc `assets`): served before the Worker runs, not read by it. */
  ASSETS: Fetcher
  RATE_LIMITER: DurableObjectNamespace<RateLimiterObject>
  WF_ADMIN_TOKEN?: string
  WF_RATE_LIMIT_RPS?: string
  WF_RATE_LIMIT_BURST?: string
}

const ids = createIdGenerator()
// Who each key is, per isolate (a Worker has one D1 database); the traced worker gives each request
// an env of its own, so this is not kept per env.
const keys = new KeyIdentities()
const logger: Deps['logger'] = {
  info: (entry) => console.log(JSON.stringify(entry)),
  error: (entry) => console.error(JSON.stringify(entry)),
}
// The same env object serves many requests of an isolate: reuse what is built from it (the
// store keeps its prepared statements).
const built = new WeakMap<Env, Deps>()

function depsFor(env: Env): Deps {
  let deps = built.get(env)
  if (deps === undefined) {
    const settings = readApiSettings(env as unknown as Record<string, string | undefined>)
    const store: Store = createStore(drizzle(env.DB))
    deps = {
      store,
      clock: { now: () => new Date() },
      ids,
      sha256Hex,
      changes: oneAtATime(),
      keys,
      admission: 'overlapped',
      rateLimiter: new DurableObjectRateLimiter(env.RATE_LIMITER, settings.rateLimit),
      logger,
      settings,
    }
    built.set(env, deps)
  }
  return deps
}

const app = createApp((c) => depsFor(c.env as Env))

// A request body the Worker has started to read but not finished poisons the connection: workerd
// drops it instead of reusing it, and the next request on it fails (cancelling the body does not
// help, only reading it to the end: workerd#1741). wrangler's dev build drains a body the Worker
// never touched, but not one already read from. The app reads a body of unknown length (chunked:
// no Content-Length) to learn its size and stops past 64 KiB to answer 413 (hono's bodyLimit).
// So such a body goes to the app through a relay we own, and what the app leaves unread is read
// and discarded here before the answer leaves, bounded in bytes and time (past them: cancelled).
// Under `wrangler dev` the poisoned connection was the ProxyWorker's pooled one to this Worker:
// the next request on it, anyone's, got miniflare's 503 "Your worker restarted mid-request"
// (RELIABILITY.md defects 4 and 5).
const DRAIN_MAX_BYTES = 32 * 1024 * 1024
const DRAIN_MAX_MS = 10_000

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let expire: (v: undefined) => void = () => {}
  const expired = new Promise<undefined>((r) => (expire = r))
  const timer = setTimeout(() => expire(undefined), DRAIN_MAX_MS)
  try {
    for (let bytes = 0; bytes <= DRAIN_MAX_BYTES; ) {
      const chunk = await Promise.race([reader.read(), expired])
      if (chunk === undefined) break // out of time
      if (chunk.done) return
      bytes += chunk.value.byteLength
    }
    await reader.cancel().catch(() => {})
  } catch {
    // the client went away mid-body: nothing left to keep
  } finally {
    clearTimeout(timer)
  }
}

async function fetchWorker(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const body = request.body
  const sized = request.headers.has('content-length') && !request.headers.has('transfer-encoding')
  if (body === null || sized || request.method === 'GET' || request.method === 'HEAD') return app.fetch(request, env, ctx)
  const reader = body.getReader()
  const relay = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read()
        if (done) controller.close()
        else controller.enqueue(value)
      },
      cancel() {}, // the rest is drained below
    },
    { highWaterMark: 0 },
  )
  try {
    return await app.fetch(new Request(request, { body: relay }), env, ctx)
  } finally {
    await drain(reader) // before the answer: workerd refuses to read a request body after it
  }
}

/**
 * The Cron Trigger (wrangler.jsonc `triggers`): purges idempotency records past their 24 hours, in
 * bounded batches (@wf/domain). A backlog larger than one run's bound is worked off over the next
 * runs; the Node server does the same on a timer.
 */
async function scheduled(_controller: ScheduledController, env: Env): Promise<void> {
  const { store, clock, logger: log } = depsFor(env)
  const { deleted, more } = await purgeExpiredIdempotencyRecords({ store, clock })
  if (deleted > 0) log.info({ msg: 'idempotency records purged', deleted, more })
}

export default { fetch: fetchWorker, scheduled } satisfies ExportedHandler<Env>
