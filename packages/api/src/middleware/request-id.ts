/**
 * `x-request-id` on every response: the client's own when it is sane (word characters, '-', '=',
 * up to 255), else a new one. As Hono's requestId middleware does, with the value read through
 * `field` so that both runtimes echo the same id.
 */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'
import { field } from '../http/field.js'

const SANE = /^[\w\-=]{1,255}$/

export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const sent = field(c, 'x-request-id')
  const id = sent !== undefined && SANE.test(sent) ? sent : c.get('deps').ids.request()
  c.set('requestId', id)
  c.header('x-request-id', id)
  await next()
})
