/**
 * Route documentation: each route states its summary, body and responses beside its handler,
 * referring to core's schemas by `$id`. `doc(...)` returns a pass-through middleware that carries
 * the OpenAPI operation; `document.ts` collects them from the app's routes.
 */
import type { ErrorCode } from '@wf/core'
import { ERROR_CATALOGUE } from '@wf/core'
import type { MiddlewareHandler } from 'hono'

export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` })

const json = (schema: object) => ({ 'application/json': { schema } })

type Responses = Record<number, { description: string; content?: ReturnType<typeof json>; headers?: object }>

const header = (description: string) => ({ description, schema: { type: 'string' } })
const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': header('The burst: the most requests at once.'),
  'RateLimit-Remaining': header('Whole tokens left.'),
  'RateLimit-Reset': header('Whole seconds until the bucket is full again.'),
}

interface RouteDoc {
  summary: string
  description?: string
  tags: string[]
  body?: object
  ok: { status: number; description: string; schema: object; headers?: Record<string, string> }
  errors: ErrorCode[]
  /** Needs x-api-key (and so has rate-limit headers); admin routes use the bearer token instead. */
  auth: 'key' | 'admin' | 'none'
  parameters?: object[]
}

export function doc(d: RouteDoc) {
  const authHeaders = d.auth === 'key' ? RATE_LIMIT_HEADERS : {}
  const responses: Responses = {
    [d.ok.status]: {
      description: d.ok.description,
      content: json(d.ok.schema),
      headers: {
        ...authHeaders,
        ...Object.fromEntries(Object.entries(d.ok.headers ?? {}).map(([n, desc]) => [n, header(desc)])),
      },
    },
  }
  for (const code of d.errors) {
    const { status, message } = ERROR_CATALOGUE[code]
    const existing = responses[status]
    responses[status] = {
      description: existing ? `${existing.description} / ${code}` : `${code}: ${message}`,
      content: json(ref('ErrorBody')),
      // A 401 is answered before the rate limit is consulted: it has no RateLimit-* headers.
      headers:
        code === 'rate_limited'
          ? { ...authHeaders, 'Retry-After': header('Whole seconds, at least 1.') }
          : code === 'unauthorized'
            ? {}
            : authHeaders,
    }
  }
  return documented({
    summary: d.summary,
    ...(d.description ? { description: d.description } : {}),
    tags: d.tags,
    ...(d.parameters ? { parameters: d.parameters } : {}),
    ...(d.body ? { requestBody: { required: true, content: json(d.body) } } : {}),
    security: d.auth === 'key' ? [{ apiKey: [] }] : d.auth === 'admin' ? [{ adminToken: [] }] : [],
    responses,
  })
}

/** A middleware that does nothing but carry its route's OpenAPI operation. */
export type DocumentedMiddleware = MiddlewareHandler & { openapi: Record<string, unknown> }

function documented(operation: Record<string, unknown>): DocumentedMiddleware {
  // Passes straight on (no async frame of its own): it sits in every documented route's chain.
  const middleware: MiddlewareHandler = (_c, next) => next()
  return Object.assign(middleware, { openapi: operation })
}

export const queryParam = (name: string, schema: object, description: string) => ({
  in: 'query',
  name,
  required: false,
  schema,
  description,
})
export const headerParam = (name: string, description: string) => ({
  in: 'header',
  name,
  required: false,
  schema: { type: 'string' },
  description,
})
