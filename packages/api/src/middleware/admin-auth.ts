/** Admin endpoints need `Authorization: Bearer <WF_ADMIN_TOKEN>`, compared in constant time. */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { timingSafeEqualText } from '../hash.js'
import { field } from '../http/field.js'

export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.get('deps').settings.adminToken
  const header = field(c, 'authorization') ?? ''
  const token = header.startsWith('Bearer ') ? header.slice(7) : ''
  // Without WF_ADMIN_TOKEN the admin endpoints do not exist (contract §3).
  if (expected === undefined) throw new ApiError('not_found', 'Not found: no such route.')
  if (token === '' || !(await timingSafeEqualText(token, expected))) {
    throw new ApiError('unauthorized', 'Missing or invalid admin token.')
  }
  await next()
})
