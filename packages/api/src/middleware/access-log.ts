/** One log line per request: method, path, status, duration, request id, key id (never the key). */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'

export const accessLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now()
  await next()
  c.get('deps').logger.info({
    msg: 'request',
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    duration_ms: Math.round((performance.now() - started) * 100) / 100,
    request_id: c.get('requestId'),
    key_id: c.get('caller')?.keyId ?? null,
  })
})
