/** x-api-key → the caller (contract §3): missing, malformed, unknown or revoked is 401. */

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
  const key = await deps.store.findApiKeyByHash(await deps.sha256Hex(secret))
  if (key === undefined || key.revoked_at !== null) throw new ApiError('unauthorized')
  c.set('caller', { keyId: key.id, organizationId: key.organization_id, mode: key.mode })
  await next()
})
