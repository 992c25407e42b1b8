// Shared pieces of the reliability suite: the real server process, a raw HTTP client, checks.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The built Node server of @wf/server (a devDependency of this package). */
export const SERVER_MAIN = fileURLToPath(new URL('../node_modules/@wf/server/dist/main.js', import.meta.url))
export const ADMIN_TOKEN = 'reliability-admin-token-7d2f0c'

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
const tempDirs = new Set()

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

/** Starts dist/main.js on 127.0.0.1 on a free port, waits for /health (at most 10 s). */
export async function startServer(env) {
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
  let output = ''
  const keep = (d) => {
    output += d
    if (output.length > 4_000_000) output = output.slice(-2_000_000) // bounded
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const url = `http://127.0.0.1:${port}`
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`)
    try {
      const res = await request({ url, agent }, 'GET', '/health', { timeoutMs: 1000 })
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not answer /health in 10 s:\n${output}`)
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
    output: () => output,
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
        const buf = Buffer.concat(chunks)
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
