/**
 * The operations of the API, read from its own OpenAPI document (`GET /openapi.json`), so the
 * checks every route must pass (auth, tenancy, admin token) walk every documented route: a route
 * added to the app is in the document (packages/api checks that the document lists every route
 * it registers) and so in these checks, with no list to keep by hand. A route whose request body
 * the suite has no valid sample for fails loudly instead of being skipped.
 */
import { BASE_URL, type Json } from './client.js'

export interface Operation {
  method: string
  /** The OpenAPI path, `/v1/workflows/{id}`. */
  route: string
  /** The success status the document gives. */
  status: number
  /** The request body's component name, when it takes one. */
  body?: string
}

const document: Json = await (await fetch(`${BASE_URL}/openapi.json`)).json()

/** Every documented operation under `prefix`, in document order. */
export function operations(prefix: string): Operation[] {
  const out: Operation[] = []
  for (const [route, ops] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    if (!route.startsWith(prefix)) continue
    for (const [method, op] of Object.entries(ops)) {
      const status = Number(Object.keys(op.responses ?? {}).find((s) => /^2\d\d$/.test(s)))
      const ref: string | undefined = op.requestBody?.content?.['application/json']?.schema?.$ref
      out.push({ method: method.toUpperCase(), route, status, ...(ref ? { body: ref.split('/').pop()! } : {}) })
    }
  }
  return out
}

/** A valid body for each request component; an operation whose component is missing here fails. */
export function sampleBody(op: Operation, samples: Record<string, unknown>): unknown {
  if (op.body === undefined) return undefined
  if (!(op.body in samples)) throw new Error(`${op.method} ${op.route}: no sample body for ${op.body}; add one`)
  return samples[op.body]
}

/** The route with its parameters filled in. */
export function fill(route: string, params: Record<string, string>): string {
  return route.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`${route}: no value for {${name}}`)
    return value
  })
}
