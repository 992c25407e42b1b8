// Part `http`: HTTP at the byte level, against the Node server and the edge app in local workerd
// (issue 10, items 2, 6 and 7). Raw TCP sockets, every read bounded (5 s a socket), every loop
// bounded by a count:
//
//   * pipelining: two and three valid requests written at once on one socket are each answered,
//     in order, with the status and body that the requests before them on the socket make right
//     (a GET after a PATCH sees the PATCH: RFC 9112 §9.3.2 lets a server process pipelined
//     requests in parallel only when they are all safe);
//   * garbage after a valid request: the PATCH's own answer (200, the new name) comes before any
//     answer to the junk, and whatever the client is told agrees with what is stored (read back on
//     a fresh connection); also a DELETE that Node's own http client sends with a body and no
//     framing;
//   * aborts mid-body (Content-Length, chunked, after a 100 Continue): the server stays healthy,
//     nothing is created, and no error line and no 5xx access line is logged for them;
//   * bare answers: no Host, `Expect: 200-ok`, `OPTIONS *`, `CONNECT`, an unknown method. The Node
//     server must answer each with the contract's JSON error body. On the edge, what the Worker
//     answers is held to the same rule; what the local runtime answers before the Worker runs
//     (no x-request-id) is recorded as platform behaviour.

import { existsSync } from 'node:fs'
import http from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { ERROR_CATALOGUE } from '@wf/core'
import { createKey, createOrg } from './admin.mjs'
import { stopAndCheck } from './edge.mjs'
import { request } from './http.mjs'
import { checkErrorBody } from './isolation-shared.mjs'
import { addFigure, check } from './report.mjs'
import { EDGE_DIR, sleep, startEdge, startServer, tempDir } from './servers.mjs'

const PART = 'http'
const SOCKET_MS = 5000 // no socket of this part is read for longer
const IDLE_MS = 1000 // after a complete answer, a quiet socket is not waited on longer (reporting only)
const POLLS = 10 // read-backs of a write that the client was told had failed
const STEPS = [{ id: 'ID_VERIFICATION' }, { id: 'FACE_LIVENESS' }]

export const httpNote = {}

// ---------------------------------------------------------------------------------------------
// Raw exchanges and a parser for a sequence of HTTP/1.1 responses
// ---------------------------------------------------------------------------------------------

/**
 * One TCP connection: runs `steps` in turn (a string/Buffer is written; {pause: ms}; {close: true}
 * destroys the socket, as a client that goes away; {until: (responses) => bool} waits for that,
 * at most SOCKET_MS), then reads until `want` final answers have arrived, the server closes, the
 * socket has been quiet IDLE_MS after a complete answer, or SOCKET_MS in all.
 */
export function exchange(srv, steps, { want = 1, timeoutMs = SOCKET_MS, idleMs = IDLE_MS } = {}) {
  const u = new URL(srv.url)
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0)
    let closed = false
    let done = false
    let writeError
    let lastData = Date.now()
    let waiting // {test, resolve}
    const started = Date.now()
    const sock = connect(Number(u.port), u.hostname)
    sock.setNoDelay(true)
    const parsed = () => parseResponses(buf, closed)
    const finals = () => parsed().responses.filter((r) => !r.interim)
    const finish = (why) => {
      if (done) return
      done = true
      clearTimeout(hard)
      clearInterval(idle)
      waiting?.resolve(false)
      sock.destroy()
      const p = parsed()
      resolve({ ...p, finals: p.responses.filter((r) => !r.interim), why, closed, writeError, ms: Date.now() - started })
    }
    const hard = setTimeout(() => finish('timeout'), timeoutMs)
    const idle = setInterval(() => {
      if (idleMs && finals().length > 0 && parsed().rest.length === 0 && Date.now() - lastData >= idleMs) finish('idle')
    }, 50)
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d])
      lastData = Date.now()
      if (waiting?.test(parsed().responses)) waiting.resolve(true)
      if (finals().length >= want) finish('answered')
    })
    sock.on('error', (/** @type {NodeJS.ErrnoException} */ e) => {
      writeError ??= e.code ?? e.message
    })
    sock.on('close', () => {
      closed = true
      finish('closed')
    })
    sock.on('connect', async () => {
      for (const s of steps) {
        if (done) return
        if (typeof s === 'string' || Buffer.isBuffer(s)) {
          if (!sock.write(s))
            await new Promise((r) => {
              sock.once('drain', r)
              sock.once('close', r)
            })
        } else if (s.pause) await sleep(s.pause)
        else if (s.until) {
          if (!s.until(parsed().responses)) {
            await new Promise((r) => {
              const t = setTimeout(() => r(false), Math.max(0, timeoutMs - 2000))
              waiting = {
                test: s.until,
                resolve: (v) => {
                  clearTimeout(t)
                  waiting = undefined
                  r(v)
                },
              }
            })
          }
        } else if (s.close) {
          finish('client closed')
          return
        }
      }
    })
  })
}

/** Every complete response in `buf` (1xx interim ones marked), and the bytes after the last. */
export function parseResponses(buf, closed = false) {
  const responses = []
  let at = 0
  while (at < buf.length) {
    const end = buf.indexOf('\r\n\r\n', at)
    if (end < 0) break
    const [statusLine, ...lines] = buf.subarray(at, end).toString('latin1').split('\r\n')
    const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine)
    if (!m) {
      responses.push({ status: -1, statusLine: statusLine.slice(0, 80), headers: {}, text: '', json: undefined, junk: true })
      at = buf.length
      break
    }
    const status = Number(m[1])
    const headers = {}
    for (const l of lines) {
      const i = l.indexOf(':')
      if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
    }
    let next = end + 4
    let body = Buffer.alloc(0)
    if ((status >= 100 && status < 200) || status === 204 || status === 304) {
      // no body
    } else if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length'])
      if (buf.length - next < n) break
      body = buf.subarray(next, next + n)
      next += n
    } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const parts = []
      let p = next
      let complete = false
      for (;;) {
        const eol = buf.indexOf('\r\n', p)
        if (eol < 0) break
        const size = parseInt(buf.subarray(p, eol).toString('latin1').split(';')[0], 16)
        if (!Number.isFinite(size)) break
        if (size === 0) {
          // trailers (if any), then an empty line
          const tEnd =
            buf.subarray(eol, eol + 2).toString() === '\r\n' && buf.subarray(eol + 2, eol + 4).toString() === '\r\n'
              ? eol + 4
              : buf.indexOf('\r\n\r\n', eol) >= 0
                ? buf.indexOf('\r\n\r\n', eol) + 4
                : -1
          if (tEnd < 0) break
          p = tEnd
          complete = true
          break
        }
        if (buf.length < eol + 2 + size + 2) break
        parts.push(buf.subarray(eol + 2, eol + 2 + size))
        p = eol + 2 + size + 2
      }
      if (!complete) break
      body = Buffer.concat(parts)
      next = p
    } else {
      // delimited by the close
      if (!closed) break
      body = buf.subarray(next)
      next = buf.length
    }
    const text = body.toString('utf8')
    let json
    try {
      json = text.length ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    responses.push({ status, statusLine, headers, text, json, interim: status >= 100 && status < 200 })
    at = next
  }
  return { responses, rest: buf.subarray(at) }
}

// ---------------------------------------------------------------------------------------------
// Judges and descriptions
// ---------------------------------------------------------------------------------------------

const short = (s, n = 90) => (s.length > n ? `${s.slice(0, n)}…` : s)
const describe = (r) =>
  r
    ? `${r.status}${r.json?.code ? ` ${r.json.code}` : ''}${r.json?.workflow ? ` "${r.json.workflow.name}" v${r.json.workflow.version} ${r.json.workflow.status}` : ''}${r.json === undefined && r.text ? ` ${JSON.stringify(short(r.text, 40))}` : ''}`
    : 'nothing'
const describeAll = (x) =>
  `${x.finals.length ? x.finals.map(describe).join(', ') : 'no answer'}${x.rest?.length ? ` + ${x.rest.length} unparsed bytes` : ''} (${x.why}${x.writeError ? `, ${x.writeError}` : ''})`

/** '' when the answer is the contract's JSON error: ErrorBody, application/json, request_id = x-request-id. */
export function jsonErrorProblem(r) {
  if (!r || !(r.status > 0)) return 'no answer: the connection was closed (or stayed silent) without one'
  if (r.status < 400) return `${r.status}, not an error`
  if (!/^application\/json/i.test(String(r.headers['content-type'] ?? '')))
    return `bare ${r.status}: content-type ${r.headers['content-type'] ?? '(none)'}, body ${JSON.stringify(short(r.text, 40))}`
  if (r.json === undefined || !checkErrorBody.Check(r.json)) return `${r.status} body outside ErrorBody: ${short(r.text, 80)}`
  if (!r.headers['x-request-id'] || r.json.request_id !== r.headers['x-request-id'])
    return `${r.status} request_id ${r.json.request_id} ≠ x-request-id ${r.headers['x-request-id']}`
  const codesForStatus = Object.entries(ERROR_CATALOGUE)
    .filter(([, v]) => v.status === r.status)
    .map(([k]) => k)
  if (!ERROR_CATALOGUE[r.json.code]) return `${r.status} code ${r.json.code} outside the catalogue`
  if (codesForStatus.length && !codesForStatus.includes(r.json.code))
    return `${r.status} with code ${r.json.code} (catalogue: ${ERROR_CATALOGUE[r.json.code].status})`
  return ''
}

/** The app's own answer (it always sends x-request-id); an error must be the contract's JSON. */
function appAnswerProblem(r) {
  if (!r || !(r.status > 0)) return 'no answer'
  if (!r.headers['x-request-id']) return `${r.status} without x-request-id (not the app's answer): ${JSON.stringify(short(r.text, 40))}`
  return r.status >= 400 ? jsonErrorProblem(r) : ''
}

// ---------------------------------------------------------------------------------------------
// Logs: what a process logged between two points, and the lines that mark a server error
// ---------------------------------------------------------------------------------------------

// biome-ignore lint/suspicious/noControlCharactersInRegex: it strips the terminal's colour codes (ESC [ … m) from wrangler's log
const ANSI = /\x1b\[[0-9;]*m/g

function logCursor(srv) {
  const start = srv.output().length
  return () => {
    const all = srv.output()
    return (all.length >= start ? all.slice(start) : all).replace(ANSI, '')
  }
}

/**
 * Lines of the app that mark a server error: Node's `"level":"error"` lines; on the edge the app's
 * JSON written with console.error (wrangler prints it as `[ERROR] {"msg":…}`); and, on both, an
 * access line (`"msg":"request"`) with a 5xx status. Lines of the runtime itself (workerd's
 * `Uncaught …`, wrangler's own `[wrangler:info] … 5xx`) are returned apart: platform.
 */
function errorLines(text) {
  const lines = text.split('\n')
  const app = lines.filter(
    (l) =>
      /"level":"error"/.test(l) || (/\[ERROR\]/.test(l) && /\{"msg":/.test(l)) || (/"msg":"request"/.test(l) && /"status":5\d\d/.test(l)),
  )
  const platform = lines.filter((l) => !app.includes(l) && (/\bUncaught\b/.test(l) || /\[wrangler:\w+\].* 5\d\d /.test(l)))
  return { app, platform }
}

/**
 * A request with a path of its own (the access log names it), then read the log until its line
 * is there: whatever was logged for what came before has been logged too (at most 50 reads).
 */
async function logMarker(srv, label) {
  const path = `/v1/http-framing-marker-${label}-${Date.now().toString(36)}`
  await request({ url: srv.url, agent: false }, 'GET', path, { timeoutMs: SOCKET_MS }).catch(() => {})
  for (let i = 0; i < 50; i++) {
    if (srv.output().includes(`"path":"${path}"`)) return true
    await sleep(100)
  }
  return false
}

// ---------------------------------------------------------------------------------------------
// The checks, against one target
// ---------------------------------------------------------------------------------------------

async function framingChecks(srv, { target, node }) {
  const name = (s) => `${target}: ${s}`
  const org = await createOrg(srv, `HTTP framing ${target}`)
  const key = (await createKey(srv, org.id, 'live')).secret
  const fresh = { url: srv.url, agent: false } // every read-back on a new connection
  const H = `Host: 127.0.0.1\r\nx-api-key: ${key}\r\n`
  let sent = 0
  const mkWorkflow = async (label) => {
    const r = await request(fresh, 'POST', '/v1/workflows', {
      headers: { 'x-api-key': key },
      body: { name: label, steps: STEPS },
      timeoutMs: SOCKET_MS,
    })
    sent++
    if (r.status !== 201) throw new Error(`seed create: ${r.status} ${r.text}`)
    return r.json.workflow
  }
  const readBack = async (id) => {
    sent++
    const r = await request(fresh, 'GET', `/v1/workflows/${id}`, { headers: { 'x-api-key': key }, timeoutMs: SOCKET_MS }).catch((e) => ({
      status: `error ${e.code ?? e.message}`,
      json: undefined,
    }))
    return r.json?.workflow
  }
  /** Reads a workflow back up to POLLS times until `changed(w)`: was a write applied after all? */
  const appliedLater = async (id, changed) => {
    for (let i = 0; i < POLLS; i++) {
      const w = await readBack(id)
      if (w && changed(w)) return w
      await sleep(100)
    }
    return undefined
  }
  const get = (id, extra = '') => `GET /v1/workflows/${id} HTTP/1.1\r\n${H}${extra}\r\n`
  const patch = (id, body, extra = '') =>
    `PATCH /v1/workflows/${id} HTTP/1.1\r\n${H}content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`

  // --- Pipelining -------------------------------------------------------------------------------
  {
    // Each case: the requests (one write), and per answer what it must show.
    const w1 = await mkWorkflow('pipe two a')
    const w2 = await mkWorkflow('pipe two b')
    const w3 = await mkWorkflow('pipe three')
    const w4 = await mkWorkflow('pipe three chunked')
    const chunkedPatch = (id, body) =>
      `PATCH /v1/workflows/${id} HTTP/1.1\r\n${H}content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`
    const cases = [
      {
        n: 2,
        label: 'GET, GET',
        bytes: get(w1.id) + get(w1.id, 'connection: close\r\n'),
        expect: [
          [w1.id, 'pipe two a', 1],
          [w1.id, 'pipe two a', 1],
        ],
      },
      {
        n: 2,
        label: 'PATCH (Content-Length), GET',
        bytes: patch(w2.id, '{"name":"pipe two b2"}') + get(w2.id, 'connection: close\r\n'),
        expect: [
          [w2.id, 'pipe two b2', 2],
          [w2.id, 'pipe two b2', 2],
        ],
      },
      {
        n: 3,
        label: 'GET, PATCH (Content-Length), GET',
        bytes: get(w3.id) + patch(w3.id, '{"name":"pipe three 2"}') + get(w3.id, 'connection: close\r\n'),
        expect: [
          [w3.id, 'pipe three', 1],
          [w3.id, 'pipe three 2', 2],
          [w3.id, 'pipe three 2', 2],
        ],
      },
      {
        n: 3,
        label: 'PATCH (chunked), PATCH (Content-Length), GET',
        bytes:
          chunkedPatch(w4.id, '{"name":"pipe chunked 2"}') +
          patch(w4.id, '{"name":"pipe chunked 3"}') +
          get(w4.id, 'connection: close\r\n'),
        expect: [
          [w4.id, 'pipe chunked 2', 2],
          [w4.id, 'pipe chunked 3', 3],
          [w4.id, 'pipe chunked 3', 3],
        ],
      },
    ]
    for (const n of [2, 3]) {
      const problems = []
      const seen = []
      for (const c of cases.filter((c) => c.n === n)) {
        const x = await exchange(srv, [c.bytes], { want: c.n })
        sent += c.n
        seen.push(`${c.label} → ${describeAll(x)}`)
        c.expect.forEach(([id, nm, v], i) => {
          const r = x.finals[i]
          const w = r?.json?.workflow
          if (!r) problems.push(`${c.label}: answer ${i + 1} missing`)
          else if (r.status !== 200 || !w || w.id !== id || w.name !== nm || w.version !== v)
            problems.push(`${c.label}: answer ${i + 1} is ${describe(r)}, wanted 200 "${nm}" v${v}`)
        })
        if (x.finals.length > c.n) problems.push(`${c.label}: ${x.finals.length - c.n} answers more than requests`)
      }
      check(
        PART,
        name(`pipelining: ${n} requests in one write are each answered in order, each as the requests before it make right`),
        problems.length === 0,
        problems.length ? `${problems.join(' | ')} [seen: ${seen.join(' | ')}]` : seen.join(' | '),
      )
    }
  }

  // --- Garbage after a valid request --------------------------------------------------------------
  {
    const junk = [
      ['"GARBAGE /" (no line end)', 'GARBAGE /'],
      ['a whole request with an unknown method', 'GARBAGE / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'],
      ['a bare line ended by LF, no CR', 'this is not http\n\n'],
      ['binary bytes', Buffer.from([0x00, 0xff, 0x10, 0x80, 0xfe, 0x01, 0x7f, 0x1b, 0x0d, 0x0a, 0x0d, 0x0a])],
      ['a request with a bad header', 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Name: x\r\n\r\n'],
    ]
    const problems = []
    const seen = []
    const platform = []
    for (const [label, bytes] of junk) {
      const w = await mkWorkflow(`garbage ${label.slice(0, 20)}`)
      const body = '{"name":"after garbage"}' // 24 bytes
      const head = `PATCH /v1/workflows/${w.id} HTTP/1.1\r\n${H}content-type: application/json\r\ncontent-length: 24\r\n\r\n`
      const x = await exchange(srv, [Buffer.concat([Buffer.from(head + body), Buffer.from(bytes)])], { want: 2 })
      sent += 2
      const first = x.finals[0]
      const told = first?.status === 200 && first.json?.workflow?.name === 'after garbage' && first.json.workflow.version === 2
      let stored
      if (told) stored = await readBack(w.id)
      else stored = (await appliedLater(w.id, (s) => s.name === 'after garbage')) ?? (await readBack(w.id))
      const applied = stored?.name === 'after garbage'
      seen.push(`${label}: ${describeAll(x)}; stored "${stored?.name}" v${stored?.version}`)
      if (!told)
        problems.push(
          `${label}: first answer ${describe(first)}, not the PATCH's 200 "after garbage" v2${applied ? ' — and the write WAS applied (stored "after garbage"): the client was told it failed' : ''}`,
        )
      else if (!applied || stored.version !== 2)
        problems.push(`${label}: told 200 "after garbage" but stored "${stored?.name}" v${stored?.version}`)
      // What follows the PATCH's answer: on Node every answer is the contract's JSON error;
      // on the edge an answer without x-request-id is the runtime's (recorded).
      for (const r of (told ? x.finals.slice(1) : x.finals).filter((r) => r.status >= 400 || r.junk)) {
        if (!node && !r.headers['x-request-id']) platform.push(`after ${label}: ${r.status} ${JSON.stringify(short(r.text, 30))}`)
        else {
          const p = jsonErrorProblem(r)
          if (p) problems.push(`${label}: an answer to the junk: ${p}`)
        }
      }
      if (x.finals.length > 2) problems.push(`${label}: ${x.finals.length} answers for one request and junk`)
    }
    if (platform.length) (httpNote.platform ??= []).push(...platform.map((p) => `${target} ${p}`))
    check(
      PART,
      name(
        "garbage after a valid PATCH (5 kinds of junk): the PATCH's own 200 comes first, and what the client is told agrees with what is stored",
      ),
      problems.length === 0,
      `${problems.length ? `${problems.join(' | ')} [seen: ${seen.join(' | ')}]` : seen.join(' | ')}${platform.length ? `; answered by the runtime, not the Worker (platform): ${platform.join(', ')}` : ''}`,
    )
  }
  {
    // Node's own client sends a DELETE body with neither Content-Length nor chunked framing: the
    // body's bytes arrive as the start of a next request.
    const w = await mkWorkflow('delete with a body')
    const u = new URL(srv.url)
    const framing = {}
    const res = await new Promise((resolve) => {
      const req = http.request({
        host: u.hostname,
        port: u.port,
        method: 'DELETE',
        path: `/v1/workflows/${w.id}`,
        headers: { 'x-api-key': key },
        agent: false,
        timeout: SOCKET_MS,
      })
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })))
      req.on('error', (/** @type {NodeJS.ErrnoException} */ e) => resolve({ status: 0, error: e.code ?? e.message, headers: {}, text: '' }))
      req.on('response', (r) => {
        const chunks = []
        r.on('data', (c) => chunks.push(c))
        r.on('error', (/** @type {NodeJS.ErrnoException} */ e) => resolve({ status: 0, error: e.code ?? e.message, headers: {}, text: '' }))
        r.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json
          try {
            json = JSON.parse(text)
          } catch {}
          resolve({ status: r.statusCode, headers: r.headers, text, json })
        })
      })
      req.end('{}')
      framing.contentLength = req.getHeader('content-length')
      framing.chunked = req.chunkedEncoding
    })
    sent++
    let stored
    if (res.status === 200) stored = await readBack(w.id)
    else stored = (await appliedLater(w.id, (s) => s.status === 'archived')) ?? (await readBack(w.id))
    const archived = stored?.status === 'archived'
    const agrees = res.status === 200 ? archived && res.json?.workflow?.status === 'archived' : res.status >= 400 && !archived
    const p = res.status >= 400 ? jsonErrorProblem(res) : ''
    check(
      PART,
      name(
        "DELETE sent by Node's http client with a body and no framing (.end('{}')): the answer agrees with what happened (archived ↔ 200)",
      ),
      agrees && (!node || !p) && (node || res.status !== 0),
      `sent with Content-Length ${framing.contentLength ?? 'none'}, chunked ${framing.chunked}; answered ${res.status ? describe(res) : `nothing (${res.error})`}${p ? ` (${p})` : ''}; stored: ${stored?.status} v${stored?.version}${!agrees && archived ? ' — archived while the client was told it failed' : ''}`,
    )
  }

  // --- Aborts mid-body --------------------------------------------------------------------------
  {
    const listCount = async () => {
      sent++
      const r = await request(fresh, 'GET', '/v1/workflows?limit=100', { headers: { 'x-api-key': key }, timeoutMs: SOCKET_MS })
      return r.status === 200 ? r.json.workflows.length : NaN
    }
    const abortTarget = await mkWorkflow('abort target')
    const before = await listCount()
    const logs = logCursor(srv)
    const head = (extra) => `POST /v1/workflows HTTP/1.1\r\n${H}content-type: application/json\r\n${extra}\r\n`
    const cases = [
      ['Content-Length: 100, 9 bytes sent, then closed', [`${head('content-length: 100\r\n')}{"name":"`, { pause: 300 }, { close: true }]],
      [
        'chunked, one chunk sent, then closed',
        [`${head('transfer-encoding: chunked\r\n')}9\r\n{"name":"\r\n`, { pause: 300 }, { close: true }],
      ],
      // Deterministic: the server has taken the request (100 Continue) before the client goes.
      [
        'Expect: 100-continue, closed after the 100 and 9 of 100 bytes',
        [
          head('content-length: 100\r\nexpect: 100-continue\r\n'),
          { until: (rs) => rs.some((r) => r.status === 100) },
          '{"name":"',
          { pause: 100 },
          { close: true },
        ],
      ],
      [
        'PATCH, Content-Length: 100, 9 bytes sent, then closed',
        [
          `PATCH /v1/workflows/${abortTarget.id} HTTP/1.1\r\n${H}content-type: application/json\r\ncontent-length: 100\r\n\r\n{"name":"`,
          { pause: 300 },
          { close: true },
        ],
      ],
    ]
    const seen = []
    for (const [label, steps] of cases) {
      const x = await exchange(srv, steps, { want: 1 })
      sent++
      seen.push(
        `${label}: ${x.responses.map((r) => r.status).join(',') || 'no answer'} before the close${x.why === 'client closed' ? '' : ` (${x.why})`}`,
      )
    }
    const marked = await logMarker(srv, target)
    sent++
    const health = await request(fresh, 'GET', '/health', { timeoutMs: SOCKET_MS }).catch((e) => ({ status: `error ${e.code}` }))
    const create = await request(fresh, 'POST', '/v1/workflows', {
      headers: { 'x-api-key': key },
      body: { name: 'after the aborts', steps: STEPS },
      timeoutMs: SOCKET_MS,
    }).catch((e) => ({ status: `error ${e.code}` }))
    const after = await listCount()
    sent += 2
    check(
      PART,
      name('aborts mid-body (Content-Length, chunked, after 100 Continue, PATCH): the server stays healthy and nothing is created'),
      health.status === 200 && create.status === 201 && after === before + 1 && (!node || srv.alive()),
      `${seen.join('; ')}; then /health ${health.status}, a create ${create.status}, workflows ${before} → ${after} (the one create after)${node ? `, process ${srv.alive() ? 'alive' : 'GONE'}` : ''}`,
    )
    const text = logs()
    const { app, platform } = errorLines(text)
    const appLogs = /"msg":"request"/.test(text)
    if (platform.length)
      (httpNote.platform ??= []).push(`${target} aborts: ${platform.length} runtime lines, e.g. ${short(platform[0].trim(), 100)}`)
    if (node || appLogs) {
      check(
        PART,
        name('aborts mid-body: no error line and no 5xx access line logged for them (a client that goes away is not a server error)'),
        marked && app.length === 0,
        `${marked ? '' : 'the marker request never showed in the log; '}${
          app.length
            ? `${app.length} lines: ${app
                .slice(0, 3)
                .map((l) => short(l.trim(), 220))
                .join(' | ')}`
            : 'none'
        }${
          platform.length
            ? `; the runtime's own lines (platform, not counted): ${platform
                .slice(0, 2)
                .map((l) => short(l.trim(), 120))
                .join(' | ')}`
            : ''
        }`,
      )
    } else {
      check(
        PART,
        name("aborts mid-body: the app's log lines are not in the runtime's output, nothing to check"),
        true,
        `${text.length} bytes of output, no access line`,
      )
    }
  }

  // --- Bare answers -----------------------------------------------------------------------------
  {
    /** @type {Array<[label: string, bytes: string, rule: (status: number) => string]>} */
    const cases = [
      // [label, bytes, extra rule for the status]
      ['HTTP/1.1 without Host', 'GET /health HTTP/1.1\r\n\r\n', (s) => (s === 400 ? '' : `${s}, wanted 400 (RFC 9112 §3.2)`)],
      ['Expect: 200-ok', `GET /v1/workflows?limit=1 HTTP/1.1\r\n${H}Expect: 200-ok\r\n\r\n`, () => ''],
      ['OPTIONS * HTTP/1.1', 'OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', () => ''],
      [
        'CONNECT host:443 HTTP/1.1',
        'CONNECT host:443 HTTP/1.1\r\nHost: host:443\r\n\r\n',
        (s) => (s >= 400 ? '' : `${s}, wanted an error`),
      ],
      ['unknown method FOO', 'FOO /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', (s) => (s >= 400 ? '' : `${s}, wanted an error`)],
    ]
    const problems = []
    const seen = []
    const platform = []
    for (const [label, bytes, rule] of cases) {
      const x = await exchange(srv, [bytes], { want: 1 })
      sent++
      const r = x.finals[0]
      const what = r
        ? `${r.status}${r.headers['x-request-id'] ? '' : ' (no x-request-id)'} ${r.json ? (r.json.code ?? 'json') : JSON.stringify(short(r.text, 40))}`
        : `no answer (${x.why})`
      seen.push(`${label}: ${what}`)
      if (!node && !r?.headers?.['x-request-id']) {
        platform.push(
          `${label} → ${r ? `${r.status} ${r.headers['content-type'] ?? 'no content-type'} ${JSON.stringify(short(r.text, 40))}` : `no answer (${x.why})`}`,
        )
        continue
      }
      const p = appAnswerProblem(r) || (r ? rule(r.status) : '')
      if (p) problems.push(`${label}: ${p}`)
    }
    if (platform.length) (httpNote.platform ??= []).push(...platform.map((p) => `${target} ${p}`))
    check(
      PART,
      name(
        node
          ? "bare answers (no Host, Expect: 200-ok, OPTIONS *, CONNECT, unknown method): each carries the contract's JSON error body and x-request-id, never a bare status or a silent close"
          : "bare answers (no Host, Expect: 200-ok, OPTIONS *, CONNECT, unknown method): what the Worker answers is the contract's; the rest is recorded as platform behaviour",
      ),
      problems.length === 0,
      `${problems.length ? `${problems.join(' | ')}; ` : ''}${seen.join('; ')}${platform.length ? `; answered before the Worker runs (platform): ${platform.join('; ')}` : ''}`,
    )
  }
  addFigure('requests sent', sent)
  addFigure(`http: raw exchanges (${target})`, sent)
}

export async function runHttpFraming() {
  const dir = tempDir('wf-rel-http-')
  const srv = await startServer({ WF_DB_PATH: join(dir, 'wf.sqlite') }, 'http')
  try {
    await framingChecks(srv, { target: 'node', node: true })
  } finally {
    const r = await srv.stop('SIGTERM')
    check(PART, 'node: server stops cleanly on SIGTERM', r.code === 0, `exit ${r.code ?? r.signal}`)
  }
  if (!existsSync(join(EDGE_DIR, 'node_modules', '.bin', 'wrangler'))) {
    check(PART, 'wrangler installed in apps/edge', false, `${join(EDGE_DIR, 'node_modules', '.bin', 'wrangler')} is missing: pnpm install`)
    return
  }
  const edge = await startEdge({}, 'http-edge')
  addFigure('edge: workerd starts', 1)
  try {
    await framingChecks(edge, { target: 'edge', node: false })
    // A rebuild of a bundled file during the run reloads the Worker and breaks requests in flight.
    const reloads = (edge.output().match(/Reloading local server/g) ?? []).length
    check(
      PART,
      'edge: the Worker was not rebuilt during the run (no bundled file changed)',
      reloads === 0,
      reloads ? `wrangler reloaded it ${reloads}×: something rewrote a file it bundles (packages/*/dist?) during the run` : '',
    )
  } finally {
    await stopAndCheck(edge, 'edge instance', PART)
  }
}
