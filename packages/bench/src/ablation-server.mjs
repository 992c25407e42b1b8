// One layer of a path, served alone (see ablation.mjs). VARIANT picks how many of the real app's
// layers run in front of a handler that answers the real answer's bytes (ANSWER, with the status
// STATUS and the headers ANSWER_HEADERS, a JSON object); 'app' is the real app. PATH_KIND is 'get'
// (GET /v1/workflows/:id) or 'invalid' (POST /v1/workflows, whose body is read). Reads the
// internals from @wf/api's build.

import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { createApp, createIdGenerator, InMemoryRateLimiter, readKeyEachTime } from '@wf/api'
import { openDatabase } from '@wf/storage/node'
import { Hono } from 'hono'
import { requestId } from 'hono/request-id'

/** @typedef {import('@wf/api').Deps} Deps */
/** @typedef {import('hono').Handler<import('@wf/api').AppEnv>} Handler */

const api = fileURLToPath(import.meta.resolve('@wf/api')).replace(/index\.js$/, '')
const { accessLog } = await import(`${api}middleware/access-log.js`)
const { authenticate } = await import(`${api}middleware/authenticate.js`)
const { admit } = await import(`${api}middleware/admit.js`)
const { denySandbox, limitBody, jsonBody } = await import(`${api}middleware/write-body.js`)
const { handleError } = await import(`${api}errors.js`)
const { jsonLogger } = await import(
  fileURLToPath(import.meta.resolve('@wf/server/package.json')).replace(/package\.json$/, 'dist/logger.js')
)

// 'hello' is pnpm bench's baseline: a bare Hono app answering GET /hello with {"hello":"world"}.
const LAYERS = ['hello', 'bare', 'context', 'auth', 'body', 'app']
const depth = LAYERS.indexOf(process.env.VARIANT)
const { store } = openDatabase(process.env.WF_DB_PATH)
const ids = createIdGenerator()
const settings = { rateLimit: { rps: 1e9, burst: 1e9 } }
// Deps without the queue of changes (`changes`): only a create and a read are served, and neither
// queues a change (only updates, archives and step configs do, in @wf/domain's change.ts).
/** @type {Omit<Deps, 'changes'>} */
const deps = {
  store,
  clock: { now: () => new Date() },
  ids,
  sha256Hex: (t) => createHash('sha256').update(t).digest('hex'),
  keys: readKeyEachTime, // as the Node server
  admission: 'sequential',
  rateLimiter: new InMemoryRateLimiter(settings.rateLimit),
  logger: jsonLogger,
  settings,
}
const answer = process.env.ANSWER
const status = Number(process.env.STATUS ?? 400)
const answerHeaders = JSON.parse(process.env.ANSWER_HEADERS ?? '{"content-type":"application/json"}')
const isGet = process.env.PATH_KIND === 'get'

/** @type {Hono<import('@wf/api').AppEnv>} */
let app
if (process.env.VARIANT === 'app') app = createApp(/** @type {Deps} */ (deps))
else if (process.env.VARIANT === 'hello') {
  app = new Hono()
  app.get('/hello', (c) => c.json({ hello: 'world' }))
} else {
  app = new Hono()
  if (depth >= 2) {
    app.use(async (c, next) => {
      c.set('deps', /** @type {Deps} */ (deps))
      await next()
    })
    app.use(requestId({ headerName: 'x-request-id', generator: () => ids.request() }))
    app.use(accessLog)
    app.onError(handleError)
  }
  const chain = [
    ...(depth >= 3 ? [authenticate, admit] : []),
    ...(depth >= 4 && !isGet ? [denySandbox, limitBody, jsonBody('invalid')] : []),
  ]
  // Hono's route types take a non-empty tuple of handlers; the length of this list depends on VARIANT.
  const handlers = /** @type {[Handler, ...Handler[]]} */ (
    /** @type {unknown} */ ([
      ...chain,
      async (c) => {
        if (depth < 4 && !isGet) await c.req.text()
        return c.body(answer, status, answerHeaders)
      },
    ])
  )
  if (isGet) app.get('/v1/workflows/:id', ...handlers)
  else app.post('/v1/workflows', ...handlers)
}
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' })
