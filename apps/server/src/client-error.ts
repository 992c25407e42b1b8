/**
 * Requests Node's HTTP parser rejects before the app sees them (an unknown method, a malformed
 * request line, headers over 16 KiB, a request too slow to arrive) still get the contract's JSON error body and a request id,
 * instead of Node's bare `400` with no body.
 */
import type { Socket } from 'node:net'
import type { IdGenerator } from '@wf/api'

export function answerClientError(ids: IdGenerator) {
  return (err: Error & { code?: string }, socket: Socket) => {
    if (!socket.writable) return socket.destroy()
    const [status, reason, message] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'The request headers are too large.']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', 'The request took too long to arrive.']
          : [400, 'Bad Request', 'The request is not valid HTTP.']
    const requestId = ids.request()
    const body = JSON.stringify({ error: message, code: 'invalid_request', request_id: requestId })
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
    )
  }
}
