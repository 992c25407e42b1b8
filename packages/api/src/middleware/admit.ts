/** Per-key rate limit with the RateLimit-* headers on every authenticated response (contract §6). */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'
import { ApiError } from '../errors.js'

export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const { rateLimiter, clock } = c.get('deps')
  const d = await rateLimiter.take(c.get('caller').keyId, clock.now().getTime())
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(d.limit),
    'RateLimit-Remaining': String(d.remaining),
    'RateLimit-Reset': String(d.resetSeconds),
  }
  if (!d.allowed) {
    throw new ApiError('rate_limited', undefined, undefined, { ...headers, 'Retry-After': String(d.retryAfterSeconds) })
  }
  // Set before the handler runs, so the response is built with them (errors included) instead of
  // being opened up again afterwards.
  for (const [name, value] of Object.entries(headers)) c.header(name, value)
  await next()
})
