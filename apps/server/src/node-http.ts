/**
 * What Node's HTTP server answers without the app: requests its parser rejects, requests it would
 * answer with a bare status line (no Host, `OPTIONS *`, an unknown expectation, CONNECT). Each
 * gets the contract's JSON error body and a request id, like every answer the app gives.
 *
 * A parser error can come after valid requests on the same connection (pipelined, or a body sent
 * without framing, which Node's own client does for a DELETE): those are still being answered, and
 * a client must never be told "failed" about a write that happened. So they are answered, the last
 * with Connection: close, and the bad bytes get no answer of their own on that connection.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { IdGenerator } from '@wf/api'

/** Node's own limit is 16 KiB; the app's 16 KiB rule (431) decides below this one. */
export const PARSER_MAX_HEADER_BYTES = 32 * 1024

function errorBody(ids: IdGenerator, message: string): { requestId: string; body: string } {
  const requestId = ids.request()
  return { requestId, body: JSON.stringify({ error: message, code: 'invalid_request', request_id: requestId }) }
}

/** A whole response, written straight to a socket, that closes the connection. */
function rawAnswer(ids: IdGenerator, status: number, reason: string, message: string): string {
  const { requestId, body } = errorBody(ids, message)
  return (
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
    `x-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`
  )
}

function parserRejection(err: Error & { code?: string }): [number, string, string] {
  if (err.code === 'HPE_HEADER_OVERFLOW') return [431, 'Request Header Fields Too Large', 'The request headers are too large.']
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Request Timeout', 'The request took too long to arrive.']
  return [400, 'Bad Request', 'The request is not valid HTTP.']
}

function refuse(res: ServerResponse, ids: IdGenerator, message: string): void {
  const { requestId, body } = errorBody(ids, message)
  res
    .writeHead(400, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-request-id': requestId,
      connection: 'close',
    })
    .end(body)
}

/**
 * The app's request listener behind guards, and the server events that answer what never reaches
 * a listener. `listener` goes to `createServer`; `install` then adds the events to that server.
 */
export function httpGuards(app: RequestListener, ids: IdGenerator): { listener: RequestListener; install(server: Server): void } {
  // Responses not yet finished per connection.
  const pending = new WeakMap<Socket, Set<ServerResponse>>()

  const serve: RequestListener = (req, res) => {
    // RFC 9112 §3.2: an HTTP/1.1 request without Host is 400; @hono/node-server needs a Host to
    // build the URL, so an HTTP/1.0 one is refused alike. `OPTIONS *` names no resource.
    if (req.headers.host === undefined) return refuse(res, ids, 'The request has no Host header.')
    if (req.url === '*') return refuse(res, ids, 'The request target * names no resource of this API.')
    return app(req, res)
  }

  const listener: RequestListener = (req, res) => {
    const socket = req.socket
    let open = pending.get(socket)
    if (open === undefined) pending.set(socket, (open = new Set()))
    let ahead: ServerResponse | undefined
    for (const earlier of open) ahead = earlier
    open.add(res)
    res.once('close', () => open.delete(res))
    // Pipelined requests (sent before the previous answer) run one after the other, as RFC 9112
    // §9.3.2 asks unless all are safe: Node would start them together, and a GET behind a PATCH
    // read the workflow from before the PATCH.
    if (ahead === undefined) return serve(req, res)
    ahead.once('close', () => serve(req, res))
  }

  const install = (server: Server) => {
    // The parser reports again for every later chunk of a connection it gave up on: answer once.
    const answered = new WeakSet<Socket>()
    server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
      if (answered.has(socket)) return
      answered.add(socket)
      if (!socket.writable) {
        socket.destroy()
        return
      }
      const open = [...(pending.get(socket) ?? [])]
      if (open.length > 0) {
        // Whole requests before the bad bytes are still being answered: they finish, and the last
        // says Connection: close, so the client sends nothing more on this connection (a 400 after
        // them could be read as the answer to its next request).
        const last = open[open.length - 1]!
        // The bytes that failed are this request's own body (the client went away mid-body): as
        // Node does by default, drop the connection, so the app's read of the body fails.
        if (!last.req.complete) socket.destroy()
        else if (!last.headersSent) last.setHeader('connection', 'close')
        else last.once('close', () => socket.end())
        return
      }
      const [status, reason, message] = parserRejection(err)
      socket.end(rawAnswer(ids, status, reason, message))
    })
    // Expect with anything but 100-continue: served like any request (as Workers do), not Node's
    // bare 417.
    server.on('checkExpectation', listener)
    // CONNECT asks for a tunnel and this is no proxy; without a listener Node drops the connection
    // without a word.
    server.on('connect', (_req: IncomingMessage, socket: Socket) => {
      socket.end(rawAnswer(ids, 400, 'Bad Request', 'CONNECT is not served: this server is not a proxy.'))
    })
  }
  return { listener, install }
}
