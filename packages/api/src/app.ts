/**
 * createApp(deps): the whole HTTP API, knowing nothing of Node or Workers. The Node server passes
 * dependencies built once; the Worker passes a function that builds them from each request's env.
 *
 * Order of checks (contract §8): 401 key → 429 rate limit → 404 route → 405 method → 403 sandbox →
 * 413 size → 415 type → 400 JSON → 400 validation → 404 workflow → 409 archived → 412 If-Match.
 */
import { type Context, Hono } from 'hono'
import type { AppEnv, Deps } from './env.js'
import { handleError, handleNotFound } from './errors.js'
import { accessLog } from './middleware/access-log.js'
import { adminAuth } from './middleware/admin-auth.js'
import { admit } from './middleware/admit.js'
import { authenticate } from './middleware/authenticate.js'
import { limitHead } from './middleware/header-size.js'
import { requestId } from './middleware/request-id.js'
import { openApiDocument } from './openapi/document.js'
import { adminRoutes } from './routes/admin.js'
import { answerOtherMethods } from './routes/method-not-allowed.js'
import { serviceRoutes } from './routes/service.js'
import { workflowRoutes } from './routes/workflows/index.js'

export type DepsSource = Deps | ((c: Context<AppEnv>) => Deps)

export function createApp(source: DepsSource): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const depsOf = typeof source === 'function' ? source : () => source

  app.use(async (c, next) => {
    c.set('deps', depsOf(c))
    await next()
  })
  app.use(requestId)
  app.use(accessLog)
  app.use(limitHead)
  app.onError(handleError)
  app.notFound(handleNotFound)

  let document: object | undefined
  app.route(
    '/',
    serviceRoutes(() => (document ??= openApiDocument(app))),
  )

  app.use('/admin/*', adminAuth)
  app.route('/admin/v1', adminRoutes())

  app.use('/v1/*', authenticate, admit)
  app.route('/v1', workflowRoutes())

  answerOtherMethods(app)
  return app
}
