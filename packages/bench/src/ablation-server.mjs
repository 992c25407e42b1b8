// One layer of the invalid create's path, served alone (see ablation.mjs). VARIANT picks how many
// of the real app's layers run in front of a handler that reads the body and answers a fixed 400
// of the real one's size; 'app' is the real app. Reads the internals from @wf/api's build.

import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { createApp, createIdGenerator, InMemoryRateLimiter, KeyIdentities } from '@wf/api'
import { openDatabase } from '@wf/storage/node'
import { Hono } from 'hono'
import { requestId } from 'hono/request-id'

/** @typedef {import('@wf/api').Deps} Deps */
/** @typedef {import('hono').Handler<import('@wf/api').AppEnv>} Handler */

const api = fileURLToPath(import.meta.resolve('@wf/api')).replace(/index\.js$/, '')
const { accessLog } = await import(`${api}middleware/access-log.js`)
const { authenticate } = await import(`${api}middleware/authenticate.js`)
const { rateLimit } = await import(`${api}middleware/rate-limit.js`)
const { denySandbox, limitBody, jsonBody } = await import(`${api}middleware/write-body.js`)
const { handleError } = await import(`${api}errors.js`)
const { jsonLogger } = await import(
  fileURLToPath(import.meta.resolve('@wf/server/package.json')).replace(/package\.json$/, 'dist/logger.js')
)

const LAYERS = ['bare', 'context', 'auth', 'body', 'app']
const depth = LAYERS.indexOf(process.env.VARIANT)
const { store } = openDatabase(process.env.WF_DB_PATH)
const ids = createIdGenerator()
const settings = { rateLimit: { rps: 1e9, burst: 1e9 } }
// Deps without the queue of changes (`changes`): only POST /v1/workflows is served, and creating
// never queues a change (only updates, archives and step configs do, in @wf/domain's change.ts).
/** @type {Omit<Deps, 'changes'>} */
const deps = {
  store,
  clock: { now: () => new Date() },
  ids,
  sha256Hex: (t) => createHash('sha256').update(t).digest('hex'),
  keys: new KeyIdentities(),
  rateLimiter: new InMemoryRateLimiter(settings.rateLimit),
  logger: jsonLogger,
  settings,
}
const answer = process.env.ANSWER

/** @type {Hono<import('@wf/api').AppEnv>} */
let app
if (process.env.VARIANT === 'app') app = createApp(/** @type {Deps} */ (deps))
else {
  app = new Hono()
  if (depth >= 1) {
    app.use(async (c, next) => {
      c.set('deps', /** @type {Deps} */ (deps))
      await next()
    })
    app.use(requestId({ headerName: 'x-request-id', generator: () => ids.request() }))
    app.use(accessLog)
    app.onError(handleError)
  }
  const chain = [...(depth >= 2 ? [authenticate, rateLimit] : []), ...(depth >= 3 ? [denySandbox, limitBody, jsonBody('invalid')] : [])]
  // Hono's route types take a non-empty tuple of handlers; the length of this list depends on VARIANT.
  const handlers = /** @type {[Handler, ...Handler[]]} */ (
    /** @type {unknown} */ ([
      ...chain,
      async (c) => {
        if (depth < 3) await c.req.text()
        return c.body(answer, 400, { 'content-type': 'application/json' })
      },
    ])
  )
  app.post('/v1/workflows', ...handlers)
}
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' })
