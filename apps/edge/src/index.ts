/**
 * The Worker: the same Hono app and store as the Node server, with dependencies built from each
 * request's env (a D1 binding exists per request: nothing opens a database when the module loads).
 */
import { type Deps, createApp, createIdGenerator, readApiSettings, sha256Hex } from '@wf/api'
import { type Store, createStore } from '@wf/storage'
import { drizzle } from 'drizzle-orm/d1'
import { DurableObjectRateLimiter, type RateLimiterObject } from './rate-limiter.js'

export { RateLimiterObject as RateLimiter } from './rate-limiter.js'

export interface Env {
  DB: D1Database
  RATE_LIMITER: DurableObjectNamespace<RateLimiterObject>
  WF_ADMIN_TOKEN?: string
  WF_RATE_LIMIT_RPS?: string
  WF_RATE_LIMIT_BURST?: string
}

const ids = createIdGenerator()
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
      rateLimiter: new DurableObjectRateLimiter(env.RATE_LIMITER, settings.rateLimit),
      logger,
      settings,
    }
    built.set(env, deps)
  }
  return deps
}

const app = createApp((c) => depsFor(c.env as Env))

export default { fetch: app.fetch } satisfies ExportedHandler<Env>
