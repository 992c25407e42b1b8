/**
 * The checks every write makes before its handler, in the contract's order (§8):
 * 403 sandbox key → 413 body over 64 KiB (before parsing; chunked bodies too) → 415 not JSON →
 * 400 invalid JSON. The parsed body is put on the context as `body`.
 */
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'
import { ApiError } from '../errors.js'

export const MAX_BODY_BYTES = 64 * 1024

export const denySandbox = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get('caller')?.mode === 'sandbox') throw new ApiError('sandbox_key')
  await next()
})

const countedLimit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError('payload_too_large')
  },
})

/**
 * With a Content-Length and no Transfer-Encoding, the header alone decides: Node's and workerd's
 * parsers read exactly that many bytes. Hono's bodyLimit decides the same way, but it looks at
 * `c.req.raw.body` first, which on Node turns the server's lightweight request into a full
 * Request with a stream and an AbortSignal (13 % of an invalid POST). Everything else (chunked,
 * both headers) is counted as it streams in by Hono's bodyLimit.
 */
export const limitBody = createMiddleware<AppEnv>(async (c, next) => {
  const length = c.req.header('content-length')
  if (length === undefined || c.req.header('transfer-encoding') !== undefined) return countedLimit(c, next)
  if (Number.parseInt(length, 10) > MAX_BODY_BYTES) throw new ApiError('payload_too_large')
  await next()
})

// application/json, with parameters, and application/*+json (contract §8).
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/** @param emptyBody what an empty body means: `{}` for PATCH, a missing body (invalid JSON) else. */
export function jsonBody(emptyBody: 'empty-object' | 'invalid') {
  return createMiddleware<AppEnv>(async (c, next) => {
    // A leading UTF-8 byte order mark is ignored (RFC 8259 §8.1 allows it). Node's Request.text()
    // strips it and workerd's does not: stripping it here makes both apps answer alike.
    const raw = await c.req.text()
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
    if (text.length === 0) {
      if (emptyBody === 'invalid') throw new ApiError('invalid_json', 'The request body is empty; expected a JSON object.')
      c.set('body', {})
      return next()
    }
    if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) throw new ApiError('unsupported_media_type')
    try {
      c.set('body', JSON.parse(text))
    } catch {
      throw new ApiError('invalid_json')
    }
    await next()
  })
}

/** Admin writes share the pipeline without the sandbox rule (they have no API key). */
export const adminJsonBody = [limitBody, jsonBody('invalid')] as const
