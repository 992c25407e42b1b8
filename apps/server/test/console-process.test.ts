// The console through the built server (dist/main.js) as a process: the startup line, the API's JSON
// answers under /console (another method, a missing file, no build), traversal sent as raw bytes
// (no client normalising the path), and the real build of apps/console.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, startServer } from './server-process.js'

const REAL_DIST = fileURLToPath(new URL('../../console/dist/console/', import.meta.url))
const HEADERS_SOURCE = fileURLToPath(new URL('../../console/public/_headers', import.meta.url))
const INDEX = '<!doctype html><title>fixture</title>'
const SECRET = 'top secret: outside the build'

const root = mkdtempSync(join(tmpdir(), 'wf-console-process-'))
const fixture = join(root, 'build', 'console')
const servers: RunningServer[] = []
const start = async (env: Record<string, string>) => {
  const s = await startServer({ WF_DB_PATH: join(root, `wf-${servers.length}.sqlite`), ...env })
  servers.push(s)
  return s
}

beforeAll(() => {
  mkdirSync(join(fixture, 'assets'), { recursive: true })
  writeFileSync(join(fixture, 'index.html'), INDEX)
  copyFileSync(HEADERS_SOURCE, join(fixture, '_headers'))
  writeFileSync(join(fixture, 'assets', 'app-1.js'), 'export {}')
  writeFileSync(join(root, 'secret.txt'), SECRET)
  writeFileSync(join(root, 'build', 'secret.txt'), SECRET)
})
afterAll(async () => {
  for (const s of servers) s.process.kill('SIGTERM')
  await Promise.all(servers.map((s) => s.exited))
  rmSync(root, { recursive: true, force: true })
})

/** One request written as raw bytes on a socket: the path exactly as given. */
function rawGet(url: string, path: string): Promise<{ status: number; head: string; body: string }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`),
    )
    let data = ''
    socket.setEncoding('latin1')
    socket.on('data', (d) => (data += d))
    socket.on('error', reject)
    socket.on('end', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n')
      resolve({ status: Number(head.split(' ')[1]), head, body })
    })
  })
}

describe('a server with a console build', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await start({ WF_CONSOLE_DIR: fixture })
  })

  it("prints the console's URL in its 'listening' line, and in the first-run help", () => {
    const listening = server
      .output()
      .split('\n')
      .find((line) => line.includes('"listening"'))
    expect(JSON.parse(listening ?? '{}')).toMatchObject({ console: `${server.url}/console/` })
    expect(server.output()).toContain(`open the console at ${server.url}/console/`)
    expect(server.output()).not.toContain('console not served')
  })

  it('serves the page and the hashed files with their headers, and logs each request', async () => {
    const page = await fetch(`${server.url}/console/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toBe(INDEX)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(page.headers.get('x-request-id')).toBeNull() // as on the edge, where the Worker does not run
    const asset = await fetch(`${server.url}/console/assets/app-1.js`)
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    // The log is written in batches: wait for the line.
    const line = /"msg":"request","method":"GET","path":"\/console\/assets\/app-1.js","status":200/
    for (let i = 0; i < 100 && !line.test(server.output()); i++) await new Promise((r) => setTimeout(r, 20))
    expect(server.output()).toMatch(line)
  })

  it('/console redirects to /console/', async () => {
    const res = await fetch(`${server.url}/console`, { redirect: 'manual' })
    expect(res.status).toBe(307)
    expect(res.headers.get('location')).toBe('/console/')
  })

  it("another method is the API's JSON 405 with Allow: GET, HEAD", async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      for (const path of ['/console', '/console/', '/console/assets/app-1.js', '/console/some/route']) {
        const res = await fetch(`${server.url}${path}`, { method })
        expect([method, path, res.status, res.headers.get('allow')]).toEqual([method, path, 405, 'GET, HEAD'])
        expect(await res.json()).toMatchObject({ code: 'method_not_allowed', request_id: expect.stringMatching(/^req_/) })
      }
    }
  })

  it("a missing hashed file is the API's JSON 404", async () => {
    const res = await fetch(`${server.url}/console/assets/app-0.js`)
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toMatchObject({ code: 'not_found', error: 'Not found: no such route.' })
  })

  it('never reads a file outside the build, however the path is written on the wire', async () => {
    for (const path of [
      '/console/../secret.txt',
      '/console/../../secret.txt',
      '/console/%2e%2e/%2e%2e/secret.txt',
      '/console/%2E%2E/secret.txt',
      '/console/..%2f..%2fsecret.txt',
      '/console/..%5c..%5csecret.txt',
      '/console/..\\..\\secret.txt',
      '/console/assets/../../secret.txt',
      '/console/./../secret.txt',
    ]) {
      const res = await rawGet(server.url, path)
      expect([path, res.body.includes('top secret')]).toEqual([path, false])
      expect([path, [200, 307, 400, 404].includes(res.status)]).toEqual([path, true])
    }
  })

  it('HEAD works', async () => {
    const res = await fetch(`${server.url}/console/some/route`, { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await res.text()).toBe('')
  })
})

describe('a server without a console build', () => {
  it('answers /console/ with a JSON 404 that says how to build it, and serves the API as ever', async () => {
    const server = await start({ WF_CONSOLE_DIR: join(root, 'not-built') })
    expect(server.output()).toContain('console not served')
    for (const path of ['/console', '/console/', '/console/some/route', '/console/assets/app.js']) {
      const res = await fetch(`${server.url}${path}`)
      expect([path, res.status]).toEqual([path, 404])
      const body = (await res.json()) as { code: string; error: string }
      expect(body.code).toBe('not_found')
      expect(body.error).toContain('pnpm --filter @wf/console build')
    }
    expect((await fetch(`${server.url}/health`)).status).toBe(200)
    expect(server.process.exitCode).toBeNull()
  })
})

describe("the real build (apps/console/dist/console, the server's default)", () => {
  it('is served at /console/, and the files index.html names are there with their types', async () => {
    expect(existsSync(join(REAL_DIST, 'index.html')), 'build the console first: pnpm --filter @wf/console build').toBe(true)
    const server = await start({})
    const page = await fetch(`${server.url}/console/`)
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toBe(readFileSync(join(REAL_DIST, 'index.html'), 'utf8'))
    expect(page.headers.get('cache-control')).toBe('no-cache')
    const refs = [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]!)
    expect(refs.some((r) => r.endsWith('.js'))).toBe(true)
    for (const ref of refs) {
      const res = await fetch(`${server.url}${ref}`)
      expect([ref, res.status, res.headers.get('cache-control')]).toEqual([ref, 200, 'public, max-age=31536000, immutable'])
      const type = ref.endsWith('.js') ? 'text/javascript; charset=utf-8' : ref.endsWith('.css') ? 'text/css; charset=utf-8' : undefined
      if (type) expect(res.headers.get('content-type')).toBe(type)
      await res.arrayBuffer()
    }
    // Nothing from another origin: no absolute URL in the page (the CSP would refuse it anyway).
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//)
  })
})
