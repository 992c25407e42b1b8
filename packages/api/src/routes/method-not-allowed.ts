/**
 * 405 with `Allow` for a known path and a method it does not serve (contract §5). The allowed
 * methods are read off the app's own routes, so they cannot drift from what is registered.
 */
import type { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import { ApiError } from '../errors.js'

export function answerOtherMethods(app: Hono<AppEnv>): void {
  const byPath = new Map<string, Set<string>>()
  for (const { method, path } of app.routes) {
    if (method === 'ALL' || path.includes('*')) continue
    const methods = byPath.get(path) ?? new Set<string>()
    methods.add(method)
    if (method === 'GET') methods.add('HEAD') // Hono answers HEAD with the GET handler
    byPath.set(path, methods)
  }
  for (const [path, methods] of byPath) {
    const allow = [...methods].join(', ')
    app.all(path, () => {
      throw new ApiError('method_not_allowed', `Method not allowed; this path allows ${allow}.`, undefined, { Allow: allow })
    })
  }
}
