/**
 * x-api-key → the caller (contract §3): missing, malformed, unknown or revoked is 401.
 *
 * A key seen before by this process is known at once, and its check (is it still valid?) is left
 * in flight for `admit` (rate-limit.ts) to await beside the route's reads: see
 * admission/key-identities.ts. A key not seen before is read here, first.
 */
import { KEY_SECRET } from '@wf/domain'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { field } from '../http/field.js'

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const secret = field(c, 'x-api-key')
  // A malformed key never reaches the database.
  if (secret === undefined || !KEY_SECRET.test(secret)) throw new ApiError('unauthorized')
  // Secrets carry 256 random bits, so a plain SHA-256 cannot be reversed or brute-forced; a slow
  // password hash would only add latency to every request.
  const deps = c.get('deps')
  const identified = await deps.keys.identify(deps.store, await deps.sha256Hex(secret))
  if (identified === undefined) throw new ApiError('unauthorized')
  c.set('caller', identified.caller)
  c.set('keyCheck', identified.check)
  await next()
})
