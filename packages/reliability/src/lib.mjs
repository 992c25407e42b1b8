// Shared pieces of the reliability suite: the real server process, a raw HTTP client, checks.
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import http from 'node:http'
import zlib from 'node:zlib'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The built Node server of @wf/server (a devDependency of this package). */
export const SERVER_MAIN = fileURLToPath(new URL('../node_modules/@wf/server/dist/main.js', import.meta.url))
/** The repository root (this package is packages/reliability). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** The edge app (apps/edge): started in workerd through its own dev script. */
export const EDGE_DIR = join(REPO_ROOT, 'apps', 'edge')
export const ADMIN_TOKEN = 'reliability-admin-token-7d2f0c'

/** WF_REL_QUICK=1: every part with small bounds (the CI mode, < 60 s). */
export const QUICK = process.env.WF_REL_QUICK === '1'
/** A bound: the full value, or the quick one in quick mode. */
export const bound = (full, quick) => (QUICK ? quick : full)

// ---------------------------------------------------------------------------------------------
// Checks and figures
// ---------------------------------------------------------------------------------------------

export const results = [] // { part, name, ok, detail }
export const figures = {} // name -> number

export function check(part, name, ok, detail = '') {
  results.push({ part, name, ok: Boolean(ok), detail: String(detail) })
  const mark = ok ? 'ok  ' : 'FAIL'
  process.stdout.write(`  [${mark}] ${part}: ${name}${detail ? ` — ${detail}` : ''}\n`)
  return Boolean(ok)
}

export function addFigure(name, n) {
  figures[name] = (figures[name] ?? 0) + n
}

// ---------------------------------------------------------------------------------------------
// Server processes (every one we start is killed on exit, whatever happens)
// ---------------------------------------------------------------------------------------------

const children = new Set()
const groups = new Set() // process group ids of detached children (wrangler + workerd)
const tempDirs = new Set()

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    return false // ESRCH: the group is gone
  }
}

function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL')
      } catch {
        // already gone
      }
    }
  }
  for (const pgid of groups) killGroup(pgid, 'SIGKILL')
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
}
process.on('exit', killAll)
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAll()
    process.exit(130)
  })
}

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

// ---------------------------------------------------------------------------------------------
// Logs: every process the suite starts writes its stdout/stderr to a file here, so the whole run's
// logs can be searched for secrets at the end (scanLogs). Every secret the suite sees is noted.
// ---------------------------------------------------------------------------------------------

let logDir
const logStreams = []
export const secrets = new Set([ADMIN_TOKEN])
export function noteSecret(s) {
  if (typeof s === 'string' && s.length >= 16) secrets.add(s)
}

function logFile(label) {
  logDir ??= tempDir('wf-rel-logs-')
  const file = join(logDir, `${String(logStreams.length).padStart(2, '0')}-${label}.log`)
  const stream = createWriteStream(file)
  logStreams.push({ label, file, stream })
  return stream
}

/** Flushes every log file; then searches them all for every secret noted (and its random part). */
export async function scanLogs() {
  await Promise.all(logStreams.map(({ stream }) => (stream.writableFinished ? undefined : new Promise((r) => stream.end(r)))))
  const needles = []
  for (const s of secrets) {
    needles.push(s)
    const m = /^wf_(?:live|sandbox)_(.+)$/.exec(s)
    if (m) needles.push(m[1]) // the random part alone, e.g. logged without its prefix
  }
  const files = logDir && existsSync(logDir) ? readdirSync(logDir).map((f) => join(logDir, f)) : []
  const found = []
  let bytes = 0
  for (const file of files) {
    const text = readFileSync(file, 'latin1')
    bytes += text.length
    for (const n of needles) {
      const at = text.indexOf(n)
      if (at >= 0) found.push(`${file.split('/').pop()}: ${n === ADMIN_TOKEN ? 'the admin token' : `secret ${n.slice(0, 12)}…`} at byte ${at}: …${text.slice(Math.max(0, at - 80), at).replace(n, '<secret>')}<secret>…`)
    }
    // Anything shaped like an API key secret, even one the suite never saw.
    const shaped = text.match(/wf_(?:live|sandbox)_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g) ?? []
    for (const m of new Set(shaped)) found.push(`${file.split('/').pop()}: a key-shaped string ${m.slice(0, 14)}…`)
  }
  return { files: files.length, bytes, needles: needles.length, found }
}

function pipeOutput(child, label) {
  const stream = logFile(label)
  let output = ''
  const keep = (d) => {
    stream.write(d)
    output += d
    if (output.length > 4_000_000) output = output.slice(-2_000_000) // bounded
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  child.on('exit', () => setTimeout(() => stream.end(), 200).unref())
  return () => output
}

/** Starts dist/main.js on 127.0.0.1 on a free port, waits for /health (at most 10 s). */
export async function startServer(env, label = 'server') {
  const port = await freePort()
  const child = spawn(process.execPath, [SERVER_MAIN], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      WF_ADMIN_TOKEN: ADMIN_TOKEN,
      WF_RATE_LIMIT_RPS: '1000000',
      WF_RATE_LIMIT_BURST: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  const output = pipeOutput(child, label)
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const url = `http://127.0.0.1:${port}`
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output()}`)
    try {
      const res = await request({ url, agent }, 'GET', '/health', { timeoutMs: 1000 })
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not answer /health in 10 s:\n${output()}`)
    }
    await sleep(50)
  }
  return {
    url,
    port,
    agent,
    pid: child.pid,
    process: child,
    exited,
    output,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      const r = await exited
      clearTimeout(timer)
      agent.destroy()
      return r
    },
  }
}

/**
 * Starts the edge app in local workerd through apps/edge/scripts/dev.mjs (local D1 migrated, then
 * `wrangler dev --local`) with a fresh WF_EDGE_STATE, on a free port; waits for /health (≤ 60 s).
 * Spawned detached: it leads its own process group, and stopping signals the whole group, so no
 * wrangler or workerd survives (the exit handler SIGKILLs any group still there).
 */
export async function startEdge(env, label = 'edge') {
  const port = await freePort()
  const state = tempDir('wf-rel-edge-')
  const child = spawn(process.execPath, [join(EDGE_DIR, 'scripts', 'dev.mjs')], {
    cwd: EDGE_DIR,
    env: {
      ...process.env,
      PATH: [join(EDGE_DIR, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
      PORT: String(port),
      WF_EDGE_STATE: state,
      WF_ADMIN_TOKEN: ADMIN_TOKEN,
      WF_RATE_LIMIT_RPS: '1000000',
      WF_RATE_LIMIT_BURST: '1000000',
      WRANGLER_SEND_METRICS: 'false',
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const pgid = child.pid
  groups.add(pgid)
  const output = pipeOutput(child, label)
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const url = `http://127.0.0.1:${port}`
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const stop = async () => {
    if (!groups.has(pgid)) return { code: child.exitCode, signal: child.signalCode, leftovers: false }
    killGroup(pgid, 'SIGTERM')
    await Promise.race([exited, sleep(5000)])
    // The leader is gone; wait for the rest of its group (workerd) to go too, then insist.
    const deadline = Date.now() + 5000
    while (Date.now() < deadline && killGroup(pgid, 0)) await sleep(100)
    const leftovers = killGroup(pgid, 0)
    killGroup(pgid, 'SIGKILL')
    groups.delete(pgid)
    agent.destroy()
    await sleep(100)
    return { code: child.exitCode, signal: child.signalCode, leftovers, gone: !killGroup(pgid, 0) }
  }
  const started = Date.now()
  const deadline = started + 60_000
  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`edge app exited before answering /health:\n${tail(output())}`)
    }
    try {
      const res = await request({ url, agent }, 'GET', '/health', { timeoutMs: 2000 })
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`edge app did not answer /health in 60 s:\n${tail(output())}`)
    }
    await sleep(100)
  }
  return { url, port, agent, pgid, startupMs: Date.now() - started, output, alive: () => killGroup(pgid, 0) && child.exitCode === null, stop }
}

/** VmRSS of a process in KiB, from /proc/<pid>/status. */
export function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) : NaN
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// ---------------------------------------------------------------------------------------------
// A raw HTTP client: any method, any header, any bytes as the body
// ---------------------------------------------------------------------------------------------

/**
 * @param srv {url, agent}
 * @param opts {headers?: object, body?: string|Buffer|object (object → JSON), timeoutMs?: number}
 * @returns {status, headers, body: Buffer, text, json (undefined when not JSON)}
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
    req.on('timeout', () => req.destroy(Object.assign(new Error(`timeout after ${timeoutMs} ms: ${method} ${path}`), { code: 'ETIMEDOUT' })))
    let previous
    req.on('socket', (sock) => {
      previous = sock.wfLast
      sock.wfLast = { method, path: path.slice(0, 120), headers: h, bodyHead: body === undefined ? undefined : Buffer.from(body).subarray(0, 120).toString('latin1'), bodyLength: body === undefined ? 0 : Buffer.byteLength(body), at: Date.now() }
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
        let json
        try {
          json = text.length ? JSON.parse(text) : undefined
        } catch {
          json = undefined
        }
        resolve({ status: res.statusCode, headers: res.headers, body: buf, text, json })
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
    sock.on('error', (e) => {
      writeError ??= e.code ?? e.message
      finish('error')
    })
    sock.on('close', () => finish('closed'))
    sock.on('connect', async () => {
      for (const p of pieces) {
        if (done) return
        if (typeof p === 'function') await p()
        else if (!sock.write(p)) await new Promise((r) => { sock.once('drain', r); sock.once('close', r) })
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
  let json
  try {
    json = text.length ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status, statusLine, headers, text, json, complete }
}

// ---------------------------------------------------------------------------------------------
// Admin helpers
// ---------------------------------------------------------------------------------------------

const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` }

export async function createOrg(srv, name) {
  const res = await request(srv, 'POST', '/admin/v1/organizations', { headers: adminHeaders, body: { name } })
  if (res.status !== 201) throw new Error(`create organisation: ${res.status} ${res.text}`)
  return res.json.organization
}

export async function createKey(srv, orgId, mode) {
  const res = await request(srv, 'POST', `/admin/v1/organizations/${orgId}/api-keys`, { headers: adminHeaders, body: { mode } })
  if (res.status !== 201) throw new Error(`create key: ${res.status} ${res.text}`)
  noteSecret(res.json.secret)
  return { id: res.json.api_key.id, secret: res.json.secret }
}

export async function revokeKey(srv, keyId) {
  const res = await request(srv, 'DELETE', `/admin/v1/api-keys/${keyId}`, { headers: adminHeaders })
  if (res.status !== 200) throw new Error(`revoke key: ${res.status} ${res.text}`)
}

/** Walks every page of GET /v1/workflows; returns the summaries in walk order. */
export async function listAll(srv, key, limit = 50, extraQuery = '') {
  const out = []
  let cursor = null
  let pages = 0
  do {
    const q = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}${extraQuery}`
    const res = await request(srv, 'GET', `/v1/workflows?${q}`, { headers: { 'x-api-key': key } })
    if (res.status !== 200) throw new Error(`list walk: ${res.status} ${res.text}`)
    out.push(...res.json.workflows)
    cursor = res.json.next_cursor
    if (++pages > 10_000) throw new Error('list walk did not end after 10000 pages')
  } while (cursor !== null)
  return out
}

/** Deterministic deep equality of JSON values (key order ignored). */
export function jsonEqual(a, b) {
  return canonical(a) === canonical(b)
}
export function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(v)
}

export function tail(s, n = 1500) {
  return s.length > n ? `…${s.slice(-n)}` : s
}
