/**
 * One limit on the size of a request's head, on every runtime: over 16 KiB (the request line and
 * the header fields, as they arrive on the wire) is 431 with the contract's error body. Node's
 * parser refused such heads at its own 16 KiB, and workerd accepts about 64 KiB: the rule lives
 * here instead, and the Node server lets its parser take up to twice as much so that this check
 * decides (apps/server/src/main.ts).
 */
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'
import { ApiError } from '../errors.js'

export const MAX_HEAD_BYTES = 16 * 1024

// Fields a proxy in front of the Worker adds (Cloudflare's edge, or miniflare locally), which the
// client did not send and cannot shorten.
const ADDED_BY_PROXY = /^(?:cf-|x-forwarded-|x-real-ip$|cdn-loop$|true-client-ip$)/

/** Bytes of `METHOD target HTTP/1.1\r\n` and of each `name: value\r\n` the client sent. */
export function headBytes(method: string, url: string, headers: Headers): number {
  const pathStart = url.indexOf('/', url.indexOf('//') + 2)
  let bytes = method.length + 1 + (pathStart < 0 ? 1 : url.length - pathStart) + 11
  headers.forEach((value, name) => {
    if (!ADDED_BY_PROXY.test(name)) bytes += name.length + value.length + 4
  })
  return bytes
}

export const limitHead = createMiddleware<AppEnv>(async (c, next) => {
  if (headBytes(c.req.method, c.req.url, c.req.raw.headers) > MAX_HEAD_BYTES) {
    throw new ApiError('invalid_request', 'The request headers are too large.', undefined, undefined, 431)
  }
  await next()
})
