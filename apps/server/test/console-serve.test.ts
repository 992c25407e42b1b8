// The console from the Node server (src/console/serve.ts), in process, over a build made here in a
// temp folder with the console's real _headers: content types, caching, the CSP, the single-page
// fallback, redirects, path traversal, HEAD, a missing or incomplete build, a rebuilt _headers.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_TYPES } from '../src/console/content-types.js'
import { type ConsoleServer, createConsole } from '../src/console/serve.js'

const HEADERS_SOURCE = fileURLToPath(new URL('../../console/public/_headers', import.meta.url))
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
const IMMUTABLE = 'public, max-age=31536000, immutable'
const INDEX = '<!doctype html><title>wf console</title><script type="module" src="/console/assets/index-AbC123.js"></script>'
const SECRET = 'top secret: outside the build'

const root = mkdtempSync(join(tmpdir(), 'wf-console-serve-'))
const dist = join(root, 'dist', 'console')
function put(rel: string, content: string | Buffer) {
  mkdirSync(dirname(join(dist, rel)), { recursive: true })
  writeFileSync(join(dist, rel), content)
}

let site: ConsoleServer
beforeAll(() => {
  put('index.html', INDEX)
  copyFileSync(HEADERS_SOURCE, join(dist, '_headers'))
  put('assets/index-AbC123.js', 'console.log(1)')
  put('assets/index-AbC123.js.map', '{"version":3}')
  put('assets/index-DeF456.css', 'body{}')
  for (const ext of Object.keys(CONTENT_TYPES)) put(`assets/file.${ext}`, `a .${ext} file`)
  put('assets/no-extension', 'bytes')
  put('favicon.svg', '<svg/>')
  put('nested/notes.txt', 'nested')
  writeFileSync(join(root, 'secret.txt'), SECRET)
  writeFileSync(join(root, 'dist', 'secret.txt'), SECRET)
  site = createConsole({ dir: dist })
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const get = (path: string, init: RequestInit = {}) => site.fetch(new Request(`http://127.0.0.1:3000${path}`, init))
async function ok(path: string, init: RequestInit = {}) {
  const res = await get(path, init)
  if (res === undefined) throw new Error(`${path}: not served`)
  return res
}

describe('pages', () => {
  it('/console/ is index.html, revalidated, with the CSP, nosniff and no-referrer', async () => {
    const res = await ok('/console/')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(INDEX)
    expect(Object.fromEntries(res.headers)).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
  })

  it('any other path under /console/ that is no file is index.html too (the app routes it), with the query', async () => {
    for (const path of ['/console/workflows', '/console/workflows/wf_01ABC/edit', '/console/some/route?tab=steps', '/console/x.html']) {
      const res = await ok(path)
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(INDEX)
      expect(res.headers.get('cache-control')).toBe('no-cache')
      expect(res.headers.get('content-security-policy')).toBe(CSP)
    }
  })

  it('the _headers file itself is not served: its path is a route like any other', async () => {
    expect(await (await ok('/console/_headers')).text()).toBe(INDEX)
  })

  it('a file of the build outside assets/ is served, revalidated', async () => {
    const res = await ok('/console/favicon.svg')
    expect(res.headers.get('content-type')).toBe('image/svg+xml')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(await (await ok('/console/nested/notes.txt')).text()).toBe('nested')
  })
})

describe('hashed files under /console/assets/', () => {
  it('are immutable for a year, with their content type and the CSP', async () => {
    const res = await ok('/console/assets/index-AbC123.js')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('console.log(1)')
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe(IMMUTABLE)
    expect(res.headers.get('content-security-policy')).toBe(CSP)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('etag')).toBeNull()
  })

  it('every type: html, js, css, svg, png, json, map, woff2, … (as Workers name them)', async () => {
    expect((await ok('/console/assets/index-DeF456.css')).headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect((await ok('/console/assets/index-AbC123.js.map')).headers.get('content-type')).toBe('application/json')
    for (const [ext, type] of Object.entries(CONTENT_TYPES)) {
      if (ext === 'html') continue // below: Workers' HTML handling drops the extension
      const res = await ok(`/console/assets/file.${ext}`)
      expect([ext, res.headers.get('content-type')]).toEqual([ext, type])
      expect(res.headers.get('cache-control')).toBe(IMMUTABLE)
    }
    const html = await ok('/console/assets/file.html')
    expect([html.status, html.headers.get('location')]).toEqual([307, '/console/assets/file'])
    expect((await ok('/console/assets/file')).headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(CONTENT_TYPES).toMatchObject({
      png: 'image/png',
      woff2: 'font/woff2',
      json: 'application/json',
      svg: 'image/svg+xml',
      html: 'text/html; charset=utf-8',
    })
    // An extension Workers have no type for (they send none): just bytes, never text/plain.
    expect((await ok('/console/assets/no-extension')).headers.get('content-type')).toBe('application/octet-stream')
  })

  it('a missing one is not the page (a stale reference, never a route): the API answers its 404', async () => {
    expect(await get('/console/assets/index-Gone99.js')).toBeUndefined()
    expect(await get('/console/assets/')).toBeUndefined()
    expect(await get('/console/assets')).toBeUndefined()
  })

  it('keep their rules with Authorization or Range (which drop only the Workers default)', async () => {
    const res = await ok('/console/assets/index-AbC123.js', { headers: { authorization: 'Bearer x', range: 'bytes=0-1' } })
    expect(res.status).toBe(200) // no ranges, as on the edge
    expect(await res.text()).toBe('console.log(1)')
    expect(res.headers.get('cache-control')).toBe(IMMUTABLE)
  })
})

describe('redirects', () => {
  it('/console to /console/ (307, the query kept), with no other header', async () => {
    const res = await ok('/console?x=1')
    expect(res.status).toBe(307)
    expect(Object.fromEntries(res.headers)).toEqual({ location: '/console/?x=1' })
  })

  it('/console/index.html and /console/index to /console/', async () => {
    for (const path of ['/console/index.html', '/console/index']) {
      const res = await ok(path)
      expect([path, res.status, res.headers.get('location')]).toEqual([path, 307, '/console/'])
      expect(res.headers.get('content-security-policy')).toBe(CSP)
    }
  })

  it('a path written other than its canonical form, to that form', async () => {
    const cases: Array<[string, string]> = [
      ['/console/assets/%69ndex-AbC123.js', '/console/assets/index-AbC123.js'],
      ['/console//assets/index-AbC123.js', '/console/assets/index-AbC123.js'],
      ['/console/a%2Fb', '/console/a/b'],
    ]
    for (const [path, location] of cases) {
      const res = await ok(path)
      expect([path, res.status, res.headers.get('location')]).toEqual([path, 307, location])
    }
  })
})

describe('path traversal', () => {
  // The URL parser already resolves `..` and `%2e%2e` (and `\` in http URLs); what reaches the
  // console is then outside /console/, or a segment that decodes to a separator.
  const attempts = [
    '/console/../secret.txt',
    '/console/../../secret.txt',
    '/console/%2e%2e/secret.txt',
    '/console/%2e%2e/%2e%2e/secret.txt',
    '/console/.%2e/.%2e/secret.txt',
    '/console/..%2f..%2fsecret.txt',
    '/console/..%2F..%2F..%2Fsecret.txt',
    '/console/assets/..%2f..%2f..%2fsecret.txt',
    '/console/..%5c..%5csecret.txt',
    '/console/%5c..%5c..%5csecret.txt',
    '/console\\..\\..\\secret.txt',
    '/console/..\\..\\secret.txt',
    '/console/%00../secret.txt',
    '/console/..%00/secret.txt',
    `/console/${encodeURIComponent(join(root, 'secret.txt'))}`,
  ]

  it('never reads a file outside the build', async () => {
    for (const path of attempts) {
      const res = await get(path)
      const body = res === undefined ? '' : await res.text()
      expect([path, body.includes('top secret')]).toEqual([path, false])
      // Either not the console's (the API answers), the page, or a redirect to the canonical form.
      expect([path, [undefined, 200, 307].includes(res?.status)]).toEqual([path, true])
      if (res?.status === 200) expect(body).toBe(INDEX)
    }
  })

  it('redirects a %2F-smuggled path only to where a client resolves it anyway (never serving it)', async () => {
    const res = await ok('/console/..%2f..%2fsecret.txt')
    expect(res.status).toBe(307)
    expect(res.headers.get('location')).toBe('/console/../../secret.txt')
    expect(new URL(res.headers.get('location')!, 'http://h').pathname).toBe('/secret.txt') // not the console's: the API's 404
  })
})

describe('methods', () => {
  it('HEAD: the GET headers, no body', async () => {
    const head = await ok('/console/assets/index-AbC123.js', { method: 'HEAD' })
    const getRes = await ok('/console/assets/index-AbC123.js')
    expect(head.status).toBe(200)
    expect(Object.fromEntries(head.headers)).toEqual(Object.fromEntries(getRes.headers))
    expect(head.body).toBeNull()
    expect((await ok('/console/some/route', { method: 'HEAD' })).headers.get('content-type')).toBe('text/html; charset=utf-8')
  })

  it('any other is left to the API (its JSON 405)', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) expect(await get('/console/', { method })).toBeUndefined()
  })

  it('nothing outside /console is the console’s', async () => {
    for (const path of ['/', '/consoles', '/console.html', '/Console/', '/%63onsole/', '/v1/workflows', '/index.html']) {
      expect([path, await get(path)]).toEqual([path, undefined])
    }
  })
})

describe('a build that is missing or incomplete', () => {
  it('no build: not served, and the state says how to build it', async () => {
    const none = createConsole({ dir: join(root, 'nowhere') })
    expect(await none.fetch(new Request('http://h/console/'))).toBeUndefined()
    const state = await none.state()
    expect(state.ready).toBe(false)
    if (!state.ready) expect(state.reason).toContain('pnpm --filter @wf/console build')
  })

  it('a build without _headers is never served without its CSP', async () => {
    const bare = join(root, 'bare')
    mkdirSync(bare)
    writeFileSync(join(bare, 'index.html'), INDEX)
    const site2 = createConsole({ dir: bare })
    expect(await site2.fetch(new Request('http://h/console/'))).toBeUndefined()
    const state = await site2.state()
    expect(state.ready).toBe(false)
    if (!state.ready) expect(state.reason).toContain('_headers')
  })

  it('a rebuilt _headers is read again; skipped lines are reported', async () => {
    const dir = join(root, 'rebuilt')
    mkdirSync(dir)
    writeFileSync(join(dir, 'index.html'), INDEX)
    writeFileSync(join(dir, '_headers'), '/console/*\n  X-Build: 1\n')
    const reported: unknown[] = []
    const site3 = createConsole({ dir, onInvalidRules: (invalid) => reported.push(...invalid) })
    expect((await site3.fetch(new Request('http://h/console/')))?.headers.get('x-build')).toBe('1')
    writeFileSync(join(dir, '_headers'), '/console/*\n  X-Build: 2\n  oops\n')
    utimesSync(join(dir, '_headers'), new Date(), new Date(Date.now() + 5000))
    expect((await site3.fetch(new Request('http://h/console/')))?.headers.get('x-build')).toBe('2')
    expect(reported).toEqual([expect.objectContaining({ lineNumber: 3, line: 'oops' })])
  })
})
