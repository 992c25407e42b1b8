/**
 * The raw sender of the differential suite: one request as given, over node:http (not fetch:
 * undici trims header values and refuses some), with a keep-alive agent per app and the body as
 * bytes, so BOMs, invalid UTF-8 and any framing can be sent. Placeholders in the path and the
 * header values (`{wf}`, `{key}`, …) are resolved per app from the variables saved from its own
 * earlier answers, so "the same request" means the same request about the same (per-app) records.
 */
import http from 'node:http'
import { connect } from 'node:net'

/** One request of the fixed table or of the generator. */
export interface Case {
  /** A label for the report (defaults to the method and path). */
  name?: string
  method: string
  /** May contain `{var}` placeholders, resolved per app. Must be a valid request target (escaped). */
  path: string
  /** Lower-case names; values may contain `{var}`; an array sends the header several times. */
  headers?: Record<string, string | string[]>
  body?: Buffer | string
  /**
   * `length` (default): a body is framed with its Content-Length (unless the headers set one);
   * `chunked`: Transfer-Encoding: chunked; `none`: only the headers given (e.g. a Content-Length
   * with no body).
   */
  framing?: 'length' | 'chunked' | 'none'
  /** Gives up on the answer after this long without a byte (default 10 s). */
  timeoutMs?: number
  /** After the answer, per app: variable name → JSON Pointer into that app's answer body. */
  save?: Record<string, string>
  /** The contract's answer where it is explicit, checked on both apps besides their comparison. */
  expect?: { status: number; code?: string }
}

export interface Answer {
  /** 0 when no answer came (see `error`). */
  status: number
  /** Lower-case names; repeated headers as arrays (node:http's `headers`). */
  headers: http.IncomingHttpHeaders
  body: Buffer
  /** `timeout`, `ECONNRESET`, … when no complete answer came. */
  error?: string
}

/** The request as sent to one app: placeholders resolved, framing headers added. */
export interface Resolved {
  method: string
  path: string
  headers: Record<string, string | string[]>
  body?: Buffer | undefined
  framing: 'length' | 'chunked' | 'none'
  timeoutMs: number
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g

export class UnknownVariable extends Error {}

/** An app under test: where it is, its keep-alive agent and the variables saved from its answers. */
export class App {
  readonly vars = new Map<string, string>()
  private agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  readonly host: string
  readonly port: number
  /** Requests written to this app (a retry on a fresh connection counts again). */
  sent = 0

  constructor(
    readonly name: 'node' | 'edge',
    readonly url: string,
  ) {
    const u = new URL(url)
    this.host = u.hostname
    this.port = Number(u.port)
  }

  fill(text: string): string {
    return text.replace(PLACEHOLDER, (_, name: string) => {
      const value = this.vars.get(name)
      if (value === undefined) throw new UnknownVariable(`no variable {${name}} on ${this.name}`)
      return value
    })
  }

  resolve(c: Case): Resolved {
    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(c.headers ?? {})) {
      headers[name] = Array.isArray(value) ? value.map((v) => this.fill(v)) : this.fill(value)
    }
    const body = c.body === undefined ? undefined : Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body, 'utf8')
    const framing = c.framing ?? 'length'
    if (body !== undefined && framing === 'length' && headers['content-length'] === undefined) {
      headers['content-length'] = String(body.length)
    }
    if (framing === 'chunked') headers['transfer-encoding'] = 'chunked'
    return { method: c.method, path: this.fill(c.path), headers, body, framing, timeoutMs: c.timeoutMs ?? 10_000 }
  }

  /** Sends it; a failure on a reused keep-alive connection before any answer is retried once on a new one. */
  async send(r: Resolved): Promise<Answer> {
    const first = await this.once(r, this.agent)
    if (first.status === 0 && first.reused && first.error !== 'timeout') {
      this.agent.destroy()
      this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
      return strip(await this.once(r, this.agent))
    }
    return strip(first)
  }

  private once(r: Resolved, agent: http.Agent): Promise<Answer & { reused: boolean }> {
    this.sent++
    return new Promise((resolve) => {
      let settled = false
      let reused = false
      const done = (a: Answer) => {
        if (settled) return
        settled = true
        resolve({ ...a, reused })
      }
      let req: http.ClientRequest
      try {
        req = http.request({ host: this.host, port: this.port, method: r.method, path: r.path, headers: r.headers, agent })
      } catch (e) {
        // node:http refuses to send it (a path or header value it considers invalid): a bug in the case.
        throw new Error(`node:http refuses ${r.method} ${r.path.slice(0, 80)}: ${(e as Error).message}`)
      }
      req.setTimeout(r.timeoutMs, () => {
        done({ status: 0, headers: {}, body: Buffer.alloc(0), error: 'timeout' })
        req.destroy()
      })
      req.on('socket', () => {
        reused = req.reusedSocket
      })
      req.on('error', (e: NodeJS.ErrnoException) => done({ status: 0, headers: {}, body: Buffer.alloc(0), error: e.code ?? e.message }))
      const collect = (res: http.IncomingMessage, head?: Buffer) => {
        const chunks: Buffer[] = head && head.length > 0 ? [head] : []
        res.on('data', (d: Buffer) => chunks.push(d))
        res.on('error', (e: NodeJS.ErrnoException) =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), error: e.code ?? e.message }),
        )
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      }
      req.on('response', (res) => collect(res))
      // CONNECT answers arrive as 'connect' (and any status) with the socket handed over. `head`
      // holds only what came in the same packet as the headers, so read on from the socket until
      // Content-Length is complete or the server closes (the timeout above still bounds it).
      req.on('connect', (res, socket, head) => {
        const chunks: Buffer[] = head.length > 0 ? [head] : []
        const expected = Number(res.headers['content-length'] ?? Number.NaN)
        let received = head.length
        const finish = () => {
          done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
          socket.destroy()
        }
        if (received >= expected) return finish()
        socket.on('data', (d: Buffer) => {
          chunks.push(d)
          received += d.length
          if (received >= expected) finish()
        })
        socket.on('end', finish)
        socket.on('close', finish)
        socket.on('error', finish)
        socket.setTimeout(r.timeoutMs, finish)
      })
      if (r.body === undefined || r.body.length === 0) {
        if (r.body !== undefined && r.framing !== 'none') req.end(r.body)
        else req.end()
      } else if (r.framing === 'chunked') {
        // Two chunks when there is enough to split: a real chunked upload, not one chunk.
        const half = Math.ceil(r.body.length / 2)
        req.write(r.body.subarray(0, half))
        req.end(r.body.subarray(half))
      } else {
        req.end(r.body)
      }
    })
  }

  close(): void {
    this.agent.destroy()
  }
}

function strip(a: Answer & { reused?: boolean }): Answer {
  const { reused: _, ...answer } = a
  return answer
}

/**
 * Raw bytes over a new TCP connection, for what node:http cannot send (no Host, absolute-form,
 * bare LF, broken framing): reads one HTTP/1.1 answer (complete by Content-Length, or when the
 * server closes), or gives up after `timeoutMs`.
 */
export function sendRaw(url: string, bytes: Buffer, timeoutMs = 5000): Promise<Answer> {
  const u = new URL(url)
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let settled = false
    const socket = connect(Number(u.port), u.hostname)
    const finish = (why?: string) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      const parsed = parseAnswer(Buffer.concat(chunks))
      resolve(parsed ?? { status: 0, headers: {}, body: Buffer.concat(chunks), error: why ?? 'closed without an answer' })
    }
    const timer = setTimeout(() => finish('timeout'), timeoutMs)
    socket.on('data', (d: Buffer) => {
      chunks.push(d)
      const parsed = parseAnswer(Buffer.concat(chunks))
      if (parsed?.complete) finish()
    })
    socket.on('error', (e: NodeJS.ErrnoException) => finish(e.code))
    socket.on('close', () => finish())
    socket.on('connect', () => socket.write(bytes))
  })
}

/** A minimal HTTP/1.1 answer parser (Content-Length or chunked); undefined until the head is in. */
function parseAnswer(buf: Buffer): (Answer & { complete: boolean }) | undefined {
  const end = buf.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0)
  const headers: http.IncomingHttpHeaders = {}
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':')
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
  }
  let body = buf.subarray(end + 4)
  let complete = false
  const length = headers['content-length']
  if (typeof length === 'string') {
    complete = body.length >= Number(length)
    body = body.subarray(0, Number(length))
  } else if (/chunked/i.test(String(headers['transfer-encoding'] ?? ''))) {
    const decoded: Buffer[] = []
    let at = 0
    for (;;) {
      const lineEnd = body.indexOf('\r\n', at)
      if (lineEnd < 0) break
      const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16)
      if (!(size >= 0)) break
      if (size === 0) {
        complete = true
        break
      }
      if (body.length < lineEnd + 2 + size + 2) break
      decoded.push(body.subarray(lineEnd + 2, lineEnd + 2 + size))
      at = lineEnd + 2 + size + 2
    }
    body = Buffer.concat(decoded)
  }
  return { status, headers, body, complete }
}
