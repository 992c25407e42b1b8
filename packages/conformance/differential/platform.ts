/**
 * Platform behaviour: requests that the local Workers runtime (`wrangler dev --local`: workerd
 * behind wrangler's proxy) refuses or answers before the Worker runs, or parses more leniently
 * than Node. The app cannot change these answers, so they are kept out of the comparison and
 * asserted instead: the edge gives exactly the runtime's answer listed here, and the Node server
 * answers as the contract says (its JSON error body with a request id, or the app's answer where
 * the request is valid HTTP). Found empirically against wrangler 4.86 (see README).
 *
 * `platformReason(case)` is the predicate for requests node:http can send (unknown methods,
 * CONNECT, headers past the runtime's limit): the fixed table contains none of them, and the
 * generator classifies its requests with it.
 */
import type { Answer, Case } from './send.js'

/** Methods workerd's HTTP parser knows (kj-http); any other is its bare 501 before the Worker runs. */
export const WORKERD_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'PURGE',
  'COPY',
  'LOCK',
  'MKCOL',
  'MOVE',
  'PROPFIND',
  'PROPPATCH',
  'SEARCH',
  'UNLOCK',
  'ACL',
  'REPORT',
  'MKACTIVITY',
  'CHECKOUT',
  'MERGE',
  'NOTIFY',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'QUERY',
])

/**
 * What workerd's parser accepts (measured under wrangler 4.86, past it: 431 text/plain "ERROR:
 * header too large."): a request line up to about 64 KiB (a path of 65,400 characters passes,
 * 65,500 do not) and a whole request head up to 128 KiB (one 130,935-byte header passes). The
 * generator stays far below (heads ≤ 32 KiB), the platform cases far above.
 */
export const WORKERD_LINE_LIMIT = 65_450
export const WORKERD_HEAD_LIMIT = 128 * 1024

/** The exact answers of the local runtime. */
export const RUNTIME = {
  unknownMethod: { status: 501, contentType: 'text/plain', body: 'ERROR: Unrecognized request method.' },
  headerTooLarge: { status: 431, contentType: 'text/plain', body: 'ERROR: header too large.' },
  internalError: { status: 500, contentType: undefined, body: 'Internal Server Error' },
  badRequest: { status: 400, contentType: undefined, body: 'Bad Request' },
} as const
export type RuntimeAnswer = (typeof RUNTIME)[keyof typeof RUNTIME]

/**
 * What the edge does instead of the contract's answer: the runtime's own answer; `app`, the Worker
 * ran and answered this status (the runtime parsed or changed the request first); `held`, no answer
 * within the case's time (wrangler dev's dev-only middleware reads the whole body before any answer).
 */
export type EdgeExpectation = RuntimeAnswer | { app: number } | { held: true }

/** The size of the request head node:http writes for this case (Host and framing included, about). */
export function headBytes(c: Case): number {
  let n = c.method.length + c.path.length + 12 + 'host: 127.0.0.1:65535\r\n'.length + 'connection: keep-alive\r\n'.length + 2
  for (const [name, value] of Object.entries(c.headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) n += name.length + Buffer.byteLength(v, 'latin1') + 4
  }
  return n + 40 // content-length / transfer-encoding
}

/** Why the local runtime answers this request itself, or undefined when the Worker gets it. */
export function platformReason(c: Case): { why: string; edge: RuntimeAnswer } | undefined {
  if (c.method === 'CONNECT') return { why: 'CONNECT: workerd answers 500 without running the Worker', edge: RUNTIME.internalError }
  if (!WORKERD_METHODS.has(c.method)) return { why: `${c.method} is not a method workerd knows: its bare 501`, edge: RUNTIME.unknownMethod }
  if (c.method.length + c.path.length + 11 > WORKERD_LINE_LIMIT)
    return { why: "request line over 64 KiB: workerd's plain-text 431", edge: RUNTIME.headerTooLarge }
  if (headBytes(c) > WORKERD_HEAD_LIMIT) return { why: "request head over 128 KiB: workerd's plain-text 431", edge: RUNTIME.headerTooLarge }
  return undefined
}

/** What the Node server must answer instead. */
export interface NodeExpectation {
  /** The status, when one is right; any 4xx otherwise. */
  status?: number
  /** The contract's error code, when one is right. */
  code?: string
  /** A success: the app's own JSON answer (the request is valid HTTP for Node). */
  ok?: boolean
}

export interface PlatformCase {
  name: string
  why: string
  /** Sent with node:http like every case, or as raw bytes (latin1; `{var}` resolved per app, `{host}` the app's host:port). */
  request: { case: Case } | { raw: string }
  /** The local runtime's own answer, exactly; or `app`: the Worker did run and answered with this status (a lenient parse). */
  edge: EdgeExpectation
  node: NodeExpectation
}

const KEY = { 'x-api-key': '{key}' }

export const PLATFORM_CASES: PlatformCase[] = [
  {
    name: 'an unknown method (FOO)',
    why: 'workerd refuses methods it does not know before the Worker runs',
    request: { case: { method: 'FOO', path: '/v1/workflows', headers: KEY } },
    edge: RUNTIME.unknownMethod,
    node: { status: 400, code: 'invalid_request' },
  },
  {
    name: 'a method Node knows and workerd does not (M-SEARCH)',
    why: 'llhttp knows M-SEARCH (the route is then 405); workerd does not',
    request: { case: { method: 'M-SEARCH', path: '/v1/workflows', headers: KEY } },
    edge: RUNTIME.unknownMethod,
    node: { status: 405, code: 'method_not_allowed' },
  },
  {
    name: 'LINK on a workflow',
    why: 'llhttp knows LINK; workerd does not',
    request: { case: { method: 'LINK', path: '/v1/workflows/{wf}', headers: KEY } },
    edge: RUNTIME.unknownMethod,
    node: { status: 405, code: 'method_not_allowed' },
  },
  {
    name: 'CONNECT',
    why: 'workerd (wrangler dev) answers CONNECT 500 itself',
    request: { case: { method: 'CONNECT', path: '127.0.0.1:9', headers: { host: '127.0.0.1:9' } } },
    edge: RUNTIME.internalError,
    node: {},
  },
  {
    name: 'a 140 KiB header',
    why: "past workerd's 128 KiB request head: its plain-text 431 before the Worker runs",
    request: { case: { method: 'GET', path: '/v1/workflows', headers: { ...KEY, 'x-pad': 'a'.repeat(140 * 1024) } } },
    edge: RUNTIME.headerTooLarge,
    node: { status: 431, code: 'invalid_request' },
  },
  {
    name: 'a 70 KiB URL',
    why: "past workerd's 64 KiB request line: its plain-text 431 before the Worker runs",
    request: { case: { method: 'GET', path: `/v1/workflows?pad=${'a'.repeat(70 * 1024)}`, headers: KEY } },
    edge: RUNTIME.headerTooLarge,
    node: { status: 431, code: 'invalid_request' },
  },
  {
    name: 'HTTP/1.1 without Host',
    why: 'workerd answers a bare 400 "Bad Request" before the Worker runs',
    request: { raw: 'GET /health HTTP/1.1\r\n\r\n' },
    edge: RUNTIME.badRequest,
    node: { status: 400, code: 'invalid_request' },
  },
  {
    name: 'HTTP/1.0 without Host',
    why: 'workerd answers a bare 400 "Bad Request" on HTTP/1.0 too',
    request: { raw: 'GET /health HTTP/1.0\r\n\r\n' },
    edge: RUNTIME.badRequest,
    node: { status: 400, code: 'invalid_request' },
  },
  {
    name: 'an absolute-form target',
    why: 'wrangler dev answers 500 for http://host/path targets (HTTP/1.1 servers must accept them)',
    request: { raw: 'GET http://{host}/health HTTP/1.1\r\nHost: {host}\r\n\r\n' },
    edge: RUNTIME.internalError,
    node: { ok: true, status: 200 },
  },
  {
    name: 'OPTIONS * (asterisk-form)',
    why: 'wrangler dev answers 500 for the asterisk-form target',
    request: { raw: 'OPTIONS * HTTP/1.1\r\nHost: {host}\r\n\r\n' },
    edge: RUNTIME.internalError,
    node: {},
  },
  {
    name: 'Host twice',
    why: 'wrangler dev answers 500 when Host is repeated',
    request: { raw: 'GET /health HTTP/1.1\r\nHost: {host}\r\nHost: {host}\r\n\r\n' },
    edge: RUNTIME.internalError,
    node: { ok: true, status: 200 },
  },
  {
    name: 'Content-Length twice, different values',
    why: "wrangler dev answers 500; Node's parser refuses the request",
    request: {
      raw: 'POST /v1/workflows HTTP/1.1\r\nHost: {host}\r\nx-api-key: {key}\r\ncontent-type: application/json\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}',
    },
    edge: RUNTIME.internalError,
    node: { status: 400, code: 'invalid_request' },
  },
  {
    name: 'Content-Length and Transfer-Encoding: chunked',
    why: "workerd lets chunked win and runs the Worker; Node's parser refuses the request (request smuggling guard)",
    request: {
      raw: 'POST /v1/workflows HTTP/1.1\r\nHost: {host}\r\nx-api-key: {key}\r\ncontent-type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
    },
    edge: { app: 400 },
    node: { status: 400, code: 'invalid_request' },
  },
  {
    name: '"Transfer-Encoding : chunked" (white space before the colon)',
    why: "workerd accepts the malformed field name; Node's parser refuses it",
    request: {
      raw: 'POST /v1/workflows HTTP/1.1\r\nHost: {host}\r\nx-api-key: {key}\r\ncontent-type: application/json\r\nTransfer-Encoding : chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
    },
    edge: { app: 400 },
    node: { status: 400, code: 'invalid_request' },
  },
  {
    name: 'bare LF line endings',
    why: "workerd accepts LF-only lines; Node's parser refuses them",
    request: { raw: 'GET /health HTTP/1.1\nHost: {host}\n\n' },
    edge: { app: 200 },
    node: { status: 400, code: 'invalid_request' },
  },
  // workerd's parser drops If-Match (also If-None-Match, If-Range) when its value is empty or
  // blank: the Worker sees no condition and the write goes ahead. Bodies that change nothing keep
  // both apps' state alike; the DELETE comes last and archives only on the edge.
  ...(['', '   ', '\t'] as const).flatMap((value): PlatformCase[] => {
    const shown = JSON.stringify(value)
    const headers = { 'x-api-key': '{keyC}', 'if-match': value }
    const dropped = 'workerd drops an empty or blank If-Match before the Worker runs, so the Worker sees no condition'
    return [
      {
        name: `If-Match ${shown} on a PATCH`,
        why: dropped,
        request: {
          case: {
            method: 'PATCH',
            path: '/v1/workflows/{ifmEmpty}',
            headers: { ...headers, 'content-type': 'application/json' },
            body: '{}',
          },
        },
        edge: { app: 200 },
        node: { status: 412, code: 'precondition_failed' },
      },
      {
        name: `If-Match ${shown} on a step config PATCH`,
        why: dropped,
        request: {
          case: {
            method: 'PATCH',
            path: '/v1/workflows/{ifmEmpty}/steps/FACE_LIVENESS/config',
            headers: { ...headers, 'content-type': 'application/json' },
            body: '{"config":{}}',
          },
        },
        edge: { app: 200 },
        node: { status: 412, code: 'precondition_failed' },
      },
    ]
  }),
  {
    name: 'If-Match "" on a DELETE',
    why: 'workerd drops an empty If-Match before the Worker runs: the edge archives',
    request: { case: { method: 'DELETE', path: '/v1/workflows/{ifmEmpty}', headers: { 'x-api-key': '{keyC}', 'if-match': '' } } },
    edge: { app: 200 },
    node: { status: 412, code: 'precondition_failed' },
  },
  {
    name: 'Content-Length 1,000,000,000 and no body',
    why: 'the Worker answers 413 from the header alone, but wrangler dev wraps it in a dev-only middleware that reads the whole body first (the deployed bundle has none: apps/edge/test-isolates/deployed-bundle.test.ts)',
    request: {
      case: {
        method: 'POST',
        path: '/v1/workflows',
        headers: { 'x-api-key': '{key}', 'content-type': 'application/json', 'content-length': '1000000000' },
        framing: 'none',
        timeoutMs: 4000,
      },
    },
    edge: { held: true },
    node: { status: 413, code: 'payload_too_large' },
  },
  {
    name: 'a space inside the request target',
    why: 'workerd takes "/he alth" as the path (then 404); Node\'s parser refuses the request line',
    request: { raw: 'GET /he alth HTTP/1.1\r\nHost: {host}\r\n\r\n' },
    edge: { app: 404 },
    node: { status: 400, code: 'invalid_request' },
  },
]

/** Problems with an answer that should be the contract's JSON error (or, `ok`, the app's JSON answer); empty when it is. */
export function nodeProblems(answer: Answer, expected: NodeExpectation): string[] {
  const problems: string[] = []
  if (answer.status === 0) return [`no answer (${answer.error ?? 'closed'})`]
  if (expected.status !== undefined && answer.status !== expected.status)
    problems.push(`status ${answer.status}, expected ${expected.status}`)
  if (expected.status === undefined && !(answer.status >= 400 && answer.status < 500))
    problems.push(`status ${answer.status}, expected a 4xx`)
  const type = String(answer.headers['content-type'] ?? '')
  if (!/^application\/json/i.test(type)) problems.push(`content-type ${JSON.stringify(type)}, expected application/json`)
  const requestId = answer.headers['x-request-id']
  if (typeof requestId !== 'string' || requestId === '') problems.push('no x-request-id')
  let body: Record<string, unknown> | undefined
  try {
    body = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>
  } catch {
    problems.push(`body is not JSON: ${JSON.stringify(answer.body.toString('utf8').slice(0, 80))}`)
  }
  if (body && !expected.ok) {
    if (typeof body.error !== 'string') problems.push('no "error" sentence')
    if (typeof body.code !== 'string') problems.push('no "code"')
    if (expected.code !== undefined && body.code !== expected.code) problems.push(`code ${String(body.code)}, expected ${expected.code}`)
    if (body.request_id !== requestId) problems.push('request_id is not the x-request-id')
    if ('message' in body) problems.push('a top-level "message"')
  }
  return problems
}

/** Problems with the edge's answer against the runtime's listed answer; empty when it is exactly that. */
export function edgeProblems(answer: Answer, expected: EdgeExpectation): string[] {
  if ('held' in expected)
    return answer.status === 0 && answer.error === 'timeout'
      ? []
      : [`answered ${answer.status || answer.error}, expected no answer before the body`]
  if (answer.status === 0) return [`no answer (${answer.error ?? 'closed'})`]
  const problems: string[] = []
  if ('app' in expected) {
    if (answer.status !== expected.app) problems.push(`status ${answer.status}, expected the app's ${expected.app}`)
    if (typeof answer.headers['x-request-id'] !== 'string') problems.push("no x-request-id: not the app's answer")
    return problems
  }
  if (answer.status !== expected.status) problems.push(`status ${answer.status}, expected ${expected.status}`)
  const type = answer.headers['content-type']
  if (type !== expected.contentType) problems.push(`content-type ${String(type)}, expected ${String(expected.contentType)}`)
  const text = answer.body.toString('utf8')
  if (text !== expected.body) problems.push(`body ${JSON.stringify(text.slice(0, 80))}, expected ${JSON.stringify(expected.body)}`)
  return problems
}
