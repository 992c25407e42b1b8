// A raw HTTP client for the reliability suite: any method, any header, any bytes as the body;
// decodes compressed answers; raw bytes over TCP with a minimal HTTP/1.1 response parser.
import http from 'node:http'
import { connect } from 'node:net'
import zlib from 'node:zlib'

// ---------------------------------------------------------------------------------------------
// A raw HTTP client: any method, any header, any bytes as the body
// ---------------------------------------------------------------------------------------------

/**
 * A target: the Node server or the edge app (anything with a base URL and, optionally, an agent).
 * @typedef {{ url: string, agent?: http.Agent | boolean }} Target
 */
/**
 * @typedef {object} RequestOptions
 * @property {http.OutgoingHttpHeaders} [headers]
 * @property {string | Buffer | object} [body] an object is sent as JSON (with content-type application/json)
 * @property {number} [timeoutMs]
 */
/**
 * @typedef {object} HttpResponse
 * @property {number} status
 * @property {http.IncomingHttpHeaders} headers
 * @property {Buffer} body
 * @property {string} text
 * @property {any} json the parsed body; undefined when it is not JSON
 */
/**
 * What the request was, noted on its socket (for the error of a later request on the same socket).
 * @typedef {import('node:net').Socket & { wfLast?: object }} NotedSocket
 */

/**
 * @param {Target} srv
 * @param {string} method
 * @param {string} path
 * @param {RequestOptions} [opts]
 * @returns {Promise<HttpResponse>}
 */
export function request(srv, method, path, opts = {}) {
  const { headers = {}, timeoutMs = 10_000 } = opts
  let body = opts.body
  const h = { ...headers }
  if (body !== undefined && !Buffer.isBuffer(body) && typeof body !== 'string') {
    body = JSON.stringify(body)
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json'
  }
  // Node's client sends a GET/DELETE/OPTIONS body with neither Content-Length nor chunked framing
  // (the bytes would be read as the next request): always frame a body explicitly.
  if (body !== undefined && !Object.keys(h).some((k) => /^(content-length|transfer-encoding)$/i.test(k))) {
    h['content-length'] = String(Buffer.byteLength(body))
  }
  const u = new URL(srv.url)
  return new Promise((resolve, reject) => {
    let req
    try {
      req = http.request({
        host: u.hostname,
        port: u.port,
        method,
        path,
        headers: h,
        agent: srv.agent,
        timeout: timeoutMs,
      })
    } catch (e) {
      // The client refuses to send it (invalid header value or path): not a server answer.
      reject(Object.assign(e, { clientSide: true }))
      return
    }
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error(`timeout after ${timeoutMs} ms: ${method} ${path}`), { code: 'ETIMEDOUT' })),
    )
    let previous
    req.on('socket', (/** @type {NotedSocket} */ sock) => {
      previous = sock.wfLast
      sock.wfLast = {
        method,
        path: path.slice(0, 120),
        headers: h,
        bodyHead: body === undefined ? undefined : Buffer.from(body).subarray(0, 120).toString('latin1'),
        bodyLength: body === undefined ? 0 : Buffer.byteLength(body),
        at: Date.now(),
      }
    })
    req.on('error', (e) => reject(Object.assign(e, { reusedSocket: req.reusedSocket, previous })))
    req.on('response', (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('error', reject)
      res.on('end', () => {
        let buf = Buffer.concat(chunks)
        // workerd compresses when the client accepts it (the fuzzer sends Accept-Encoding).
        const enc = String(res.headers['content-encoding'] ?? '').toLowerCase()
        try {
          if (buf.length === 0) {
            // HEAD, 204, 304: nothing to decode
          } else if (enc === 'gzip' || enc === 'x-gzip') buf = zlib.gunzipSync(buf)
          else if (enc === 'br') buf = zlib.brotliDecompressSync(buf)
          else if (enc === 'deflate') buf = zlib.inflateSync(buf)
        } catch (e) {
          reject(Object.assign(new Error(`undecodable ${enc} body: ${e.message}`), { code: 'EBADENCODING' }))
          return
        }
        const text = buf.toString('utf8')
        resolve({ status: res.statusCode, headers: res.headers, body: buf, text, json: jsonOrUndefined(text) })
      })
    })
    if (body !== undefined) req.end(body)
    else req.end()
  })
}

/**
 * Raw bytes over a new TCP connection: writes each piece in turn (a function piece is awaited:
 * a pause), then reads until the server closes or `timeoutMs`. Whatever arrived is parsed as one
 * HTTP/1.1 response (status 0 when nothing came). Write errors (the server answered and closed
 * while we were still sending) are recorded, not thrown.
 */
/**
 * @param {Target} srv
 * @param {Array<string | Uint8Array | (() => unknown)>} pieces
 * @param {{ timeoutMs?: number }} [opts]
 */
export function rawRequest(srv, pieces, { timeoutMs = 10_000 } = {}) {
  const u = new URL(srv.url)
  return new Promise((resolve) => {
    const chunks = []
    let writeError
    let done = false
    const started = Date.now()
    const sock = connect(Number(u.port), u.hostname)
    const finish = (why) => {
      if (done) return
      done = true
      clearTimeout(timer)
      sock.destroy()
      resolve({ ...parseResponse(Buffer.concat(chunks)), why, writeError, ms: Date.now() - started })
    }
    const timer = setTimeout(() => finish('timeout'), timeoutMs)
    sock.on('data', (d) => {
      chunks.push(d)
      const parsed = parseResponse(Buffer.concat(chunks))
      if (parsed.complete) finish('answered')
    })
    sock.on('error', (/** @type {NodeJS.ErrnoException} */ e) => {
      writeError ??= e.code ?? e.message
      finish('error')
    })
    sock.on('close', () => finish('closed'))
    sock.on('connect', async () => {
      for (const p of pieces) {
        if (done) return
        if (typeof p === 'function') await p()
        else if (!sock.write(p))
          await new Promise((r) => {
            sock.once('drain', r)
            sock.once('close', r)
          })
      }
    })
  })
}

function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n')
  if (end < 0) return { status: 0, headers: {}, text: buf.toString('latin1'), json: undefined, complete: false }
  const [statusLine, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n')
  const headers = {}
  for (const l of lines) {
    const i = l.indexOf(':')
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0)
  let body = buf.subarray(end + 4)
  let complete = false
  if (headers['content-length'] !== undefined) {
    complete = body.length >= Number(headers['content-length'])
    body = body.subarray(0, Number(headers['content-length']))
  } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const text = body.toString('latin1')
    complete = /(^|\r\n)0\r\n\r\n$/.test(text)
    let out = ''
    let rest = text
    for (;;) {
      const m = /^([0-9a-fA-F]+)\r\n/.exec(rest)
      if (!m) break
      const n = parseInt(m[1], 16)
      if (n === 0) break
      out += rest.slice(m[0].length, m[0].length + n)
      rest = rest.slice(m[0].length + n + 2)
    }
    body = Buffer.from(out, 'latin1')
  }
  const text = body.toString('utf8')
  return { status, statusLine, headers, text, json: jsonOrUndefined(text), complete }
}

/** The parsed body when it is JSON; undefined for an empty or non-JSON body. */
function jsonOrUndefined(text) {
  try {
    return text.length ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
}
