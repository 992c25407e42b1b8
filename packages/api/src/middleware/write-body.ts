/**
 * The checks every write makes before its handler, in the contract's order (§8):
 * 403 sandbox key → 413 body over 64 KiB (before parsing; chunked bodies too) → 415 not JSON →
 * 400 invalid JSON. The parsed body is put on the context as `body`.
 */

import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { field } from '../http/field.js'

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
 * The client closed the connection (or it broke) mid-body. Not a server error: if anyone still
 * listens, the body was incomplete.
 */
const bodyEnded = () => new ApiError('invalid_request', 'The request body ended before it was complete.')

/** Counting reads the whole body: a body that stops arriving fails here, before the handler. */
const countedBody: typeof countedLimit = async (c, next) => {
  let read = false
  try {
    return await countedLimit(c, () => {
      read = true
      return next()
    })
  } catch (error) {
    if (read) throw error // thrown by what came after: not ours to judge
    if (error instanceof ApiError) throw error // the 413
    throw bodyEnded()
  }
}

/**
 * With a Content-Length and no Transfer-Encoding, the header alone decides: Node's and workerd's
 * parsers read exactly that many bytes. Hono's bodyLimit decides the same way, but it looks at
 * `c.req.raw.body` first, which on Node turns the server's lightweight request into a full
 * Request with a stream and an AbortSignal (a measurable part of an invalid POST, BENCHMARKS.md). Everything else (chunked,
 * both headers) is counted as it streams in by Hono's bodyLimit.
 */
export const limitBody = createMiddleware<AppEnv>(async (c, next) => {
  const length = c.req.header('content-length')
  if (length === undefined || c.req.header('transfer-encoding') !== undefined) return countedBody(c, next)
  if (Number.parseInt(length, 10) > MAX_BODY_BYTES) throw new ApiError('payload_too_large')
  await next()
})

// application/json, with parameters, and application/*+json (contract §8).
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

// `fatal`: invalid UTF-8 is refused rather than read as U+FFFD. `ignoreBOM`: the decoder keeps a
// byte order mark as U+FEFF instead of dropping it; the one RFC 8259 §8.1 allows is removed first.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * The body's bytes after one leading UTF-8 byte order mark, read the same way on every runtime
 * (Node's `Request.text()` drops a byte order mark and workerd's does not; both replace invalid
 * UTF-8 silently).
 */
async function readBytes(c: Context<AppEnv>): Promise<Uint8Array> {
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await c.req.arrayBuffer())
  } catch {
    throw bodyEnded()
  }
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes
}

/** @param emptyBody what an empty body means: `{}` for PATCH, a missing body (invalid JSON) else. */
export function jsonBody(emptyBody: 'empty-object' | 'invalid') {
  return createMiddleware<AppEnv>(async (c, next) => {
    const bytes = await readBytes(c)
    if (bytes.length === 0) {
      if (emptyBody === 'invalid') throw new ApiError('invalid_json', 'The request body is empty; expected a JSON object.')
      c.set('body', {})
      return next()
    }
    if (!JSON_TYPE.test(field(c, 'content-type') ?? '')) throw new ApiError('unsupported_media_type')
    let text: string
    try {
      text = UTF8.decode(bytes)
    } catch {
      throw new ApiError('invalid_json', 'The request body is not valid UTF-8.')
    }
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
