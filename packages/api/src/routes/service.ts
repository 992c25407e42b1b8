/** Service endpoints without a key: /health and /openapi.json (contract §4). */
import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import { doc } from '../openapi/describe.js'

export function serviceRoutes(document: () => object) {
  const r = new Hono<AppEnv>()
  r.get(
    '/health',
    doc({
      summary: 'Health',
      description: '200 once the database answers.',
      tags: ['Service'],
      auth: 'none',
      ok: {
        status: 200,
        description: 'Healthy',
        schema: { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } },
      },
      errors: ['internal'],
    }),
    async (c) => {
      await c.get('deps').store.ping()
      return c.json({ status: 'ok' })
    },
  )
  r.get(
    '/openapi.json',
    doc({
      summary: 'This OpenAPI document',
      tags: ['Service'],
      auth: 'none',
      ok: { status: 200, description: 'OpenAPI 3.1', schema: { type: 'object' } },
      errors: [],
    }),
    (c) => c.json(document()),
  )
  return r
}
