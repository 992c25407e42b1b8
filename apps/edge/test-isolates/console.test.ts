// Both apps serve the console alike: the edge app under `wrangler dev` (this wrangler.jsonc: its
// run_worker_first, html_handling and single-page fallback, with the assets made by
// scripts/console-assets.mjs) and the Node server (apps/server/dist/main.js), each started as a
// process on a free port, over the same build: the console's real one plus a file of every type the
// Node server names. The same raw requests go to both; status, headers and body must be the same
// (request ids, dates and framing aside). Where Workers cannot do what the Node server does, the
// difference is asserted as such at the end.
import { type ChildProcess, spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CONTENT_TYPES } from '@wf/server/dist/console/content-types.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error a plain .mjs script, without types
import { CONSOLE_DIST, stageConsoleAssets } from '../scripts/console-assets.mjs'

const EDGE = fileURLToPath(new URL('..', import.meta.url))
const SERVER_MAIN = join(dirname(createRequire(import.meta.url).resolve('@wf/server/package.json')), 'dist', 'main.js')
const WRANGLER = join(EDGE, 'node_modules', '.bin', 'wrangler')

const tmp = mkdtempSync(join(tmpdir(), 'wf-console-parity-'))
const build = join(tmp, 'console') // the build both serve: the real one, plus a file of each type
const realAssets = readdirSync(join(CONSOLE_DIST as string, 'assets'))
const realJs = realAssets.find((f) => f.endsWith('.js'))!
const realCss = realAssets.find((f) => f.endsWith('.css'))
const realMap = realAssets.find((f) => f.endsWith('.map'))

interface Proc {
  url: string
  child: ChildProcess
  output: () => string
}
const procs: Proc[] = []

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/** Spawns in its own process group (wrangler starts workerd) and waits for /health. */
async function launch(command: string, args: string[], env: Record<string, string>, port: number, cwd?: string): Promise<Proc> {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let out = ''
  child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)))
  child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)))
  const proc = { url: `http://127.0.0.1:${port}`, child, output: () => out }
  procs.push(proc)
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited:\n${out}`)
    try {
      if ((await fetch(`${proc.url}/health`)).ok) return proc
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${command}: no /health in 60 s:\n${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

let node: Proc
let edge: Proc
beforeAll(async () => {
  cpSync(CONSOLE_DIST as string, build, { recursive: true })
  for (const ext of Object.keys(CONTENT_TYPES)) writeFileSync(join(build, 'assets', `file.${ext}`), `a .${ext} file`)
  writeFileSync(join(build, 'assets', 'no-extension'), 'bytes')
  writeFileSync(join(build, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  mkdirSync(join(build, 'nested'))
  writeFileSync(join(build, 'nested', 'notes.txt'), 'nested')
  const assets = stageConsoleAssets({ from: build, to: join(tmp, 'assets') }) as string
  const [nodePort, edgePort] = [await freePort(), await freePort()]
  ;[node, edge] = await Promise.all([
    launch(
      process.execPath,
      [SERVER_MAIN],
      { HOST: '127.0.0.1', PORT: String(nodePort), WF_DB_PATH: join(tmp, 'wf.sqlite'), WF_CONSOLE_DIR: build },
      nodePort,
    ),
    launch(
      WRANGLER,
      ['dev', '--local', '--ip', '127.0.0.1', '--port', String(edgePort), '--persist-to', join(tmp, 'state'), '--assets', assets],
      { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1', CI: 'true' },
      edgePort,
      EDGE,
    ),
  ])
}, 90_000)
afterAll(async () => {
  for (const p of procs) {
    try {
      process.kill(-p.child.pid!, 'SIGTERM')
    } catch {
      // gone
    }
  }
  await Promise.all(procs.map((p) => (p.child.exitCode === null ? new Promise((r) => p.child.once('exit', r)) : undefined)))
  rmSync(tmp, { recursive: true, force: true })
})

interface Answer {
  status: number
  headers: Record<string, string>
  body: string
}
/** Hop-by-hop and per-runtime headers, not part of what the console sends. */
const IGNORED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'cf-cache-status', 'server'])

/** The request exactly as given (node:http sends the path as written), the answer made comparable. */
function send(base: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const out: Record<string, string> = {}
        for (const [name, value] of Object.entries(res.headers)) {
          if (IGNORED.has(name) || value === undefined) continue
          out[name] = name === 'x-request-id' ? '<id>' : Array.isArray(value) ? value.join(', ') : value
        }
        const body = Buffer.concat(chunks)
          .toString('utf8')
          .replace(/req_[0-9A-Z]{26}/g, '<id>')
        resolve({ status: res.statusCode ?? 0, headers: out, body })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

const both = (method: string, path: string, headers?: Record<string, string>) =>
  Promise.all([send(node.url, method, path, headers), send(edge.url, method, path, headers)])

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

describe('the same answer from the Node server and the edge app', () => {
  const same = (method: string, path: string, headers?: Record<string, string>) => async () => {
    const [n, e] = await both(method, path, headers)
    expect({ node: n }).toEqual({ node: e })
    return n
  }

  it('/console/, /console/assets/<file>, /console/some/route: the headers the issue names', async () => {
    const page = await same('GET', '/console/')()
    expect(page.status).toBe(200)
    expect(page.headers).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    const script = await same('GET', `/console/assets/${realJs}`)()
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    const route = await same('GET', '/console/some/route')()
    expect(route.body).toBe(page.body)
  })

  const gets = [
    '/console',
    '/console?x=1',
    '/console/?tab=steps',
    '/console/index.html',
    '/console/index',
    '/console/workflows/wf_01KZZZZZZZZZZZZZZZZZZZZZZZ/edit',
    '/console/_headers',
    '/console/favicon.svg',
    '/console/nested/notes.txt',
    '/console/nested/',
    '/console/assets/file',
    ...(realCss ? [`/console/assets/${realCss}`] : []),
    ...(realMap ? [`/console/assets/${realMap}`] : []),
    ...Object.keys(CONTENT_TYPES).map((ext) => `/console/assets/file.${ext}`),
    // written other than canonically, or trying to leave the build
    `/console/assets/%${realJs.charCodeAt(0).toString(16)}${realJs.slice(1)}`,
    `/console//assets/${realJs}`,
    '/console/a%2Fb',
    '/console/..%2f..%2fsecret.txt',
    '/console/%5c..%5csecret.txt',
    '/console/%2e%2e/%2e%2e/secret.txt',
    '/console/../health',
    '/console/%2E%2E/health',
    // not the console's: the API's 404 on both, as before
    '/',
    '/nope',
    '/index.html',
    '/consoles',
    '/console.html',
    '/Console/',
  ]
  for (const path of gets) it(`GET ${path}`, same('GET', path))

  for (const path of ['/console/', `/console/assets/${realJs}`, '/console/some/route', '/console']) it(`HEAD ${path}`, same('HEAD', path))

  it('GET /console/ with Authorization, an asset with Range (no ranges on either)', async () => {
    await same('GET', '/console/', { authorization: 'Bearer x' })()
    const ranged = await same('GET', `/console/assets/${realJs}`, { range: 'bytes=0-9' })()
    expect(ranged.status).toBe(200)
  })
})

describe('where Workers Static Assets cannot answer as the Node server does', () => {
  it('a missing file under /console/assets/: the edge serves index.html (immutable!), Node the JSON 404', async () => {
    const [n, e] = await both('GET', '/console/assets/index-Gone0000.js')
    expect([n.status, n.headers['content-type']]).toEqual([404, 'application/json'])
    // With run_worker_first patterns, the single-page fallback covers every path routed to the
    // assets, and _headers match the URL, not the file: a stale script name gets the page, cached.
    expect([e.status, e.headers['content-type'], e.headers['cache-control']]).toEqual([
      200,
      'text/html; charset=utf-8',
      'public, max-age=31536000, immutable',
    ])
  })

  it('a file of a type Workers do not know: no Content-Type on the edge, application/octet-stream from Node', async () => {
    const [n, e] = await both('GET', '/console/assets/no-extension')
    expect([n.headers['content-type'], e.headers['content-type']]).toEqual(['application/octet-stream', undefined])
    const { 'content-type': _n, ...nodeRest } = n.headers
    expect({ ...n, headers: nodeRest }).toEqual(e) // all else the same
  })

  it('another method: 405 on both; the edge with no body (the Worker never runs for /console), Node its JSON with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      for (const path of ['/console', '/console/', '/console/some/route']) {
        const [n, e] = await both(method, path)
        expect([method, path, n.status, e.status]).toEqual([method, path, 405, 405])
        expect(JSON.parse(n.body)).toMatchObject({ code: 'method_not_allowed' })
        expect(n.headers.allow).toBe('GET, HEAD')
        expect([e.body, e.headers.allow]).toEqual(['', undefined])
      }
    }
  })
})
