/**
 * Route documentation: small builders over hono-openapi's `describeRoute`, so each route states
 * its summary, body and responses beside its handler, referring to core's schemas by `$id`.
 */
import type { ErrorCode } from '@wf/core'
import { ERROR_CATALOGUE } from '@wf/core'
import { describeRoute } from 'hono-openapi'

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
      headers: code === 'rate_limited' ? { ...authHeaders, 'Retry-After': header('Whole seconds, at least 1.') } : authHeaders,
    }
  }
  return describeRoute({
    summary: d.summary,
    ...(d.description ? { description: d.description } : {}),
    tags: d.tags,
    ...(d.parameters ? { parameters: d.parameters as never } : {}),
    ...(d.body ? { requestBody: { required: true, content: json(d.body) } } : {}),
    security: d.auth === 'key' ? [{ apiKey: [] }] : d.auth === 'admin' ? [{ adminToken: [] }] : [],
    responses: responses as never,
  })
}

export const queryParam = (name: string, schema: object, description: string) => ({ in: 'query', name, required: false, schema, description })
export const headerParam = (name: string, description: string) => ({ in: 'header', name, required: false, schema: { type: 'string' }, description })
