// The console's static assets as this config ships them (wrangler.jsonc `assets`: dist/assets, made
// from the console's build), read through the ASSETS binding inside workerd. The pool calls the
// Worker's default export directly, not through the assets router, so which requests reach the
// assets (run_worker_first) is checked with `wrangler dev` in test-isolates/console.test.ts.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

const assets = (env as unknown as { ASSETS: Fetcher }).ASSETS
const get = (path: string) => assets.fetch(new Request(`http://edge.test${path}`))
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

describe('the console in the assets', () => {
  it('/console/ is its index.html with the rules of its _headers', async () => {
    const res = await get('/console/')
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain('/console/assets/')
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(res.headers.get('content-security-policy')).toBe(CSP)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('etag')).toBeNull()
  })

  it('serves the hashed files index.html names, immutable', async () => {
    const html = await (await get('/console/')).text()
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1]
    expect(script).toBeDefined()
    const res = await get(script!)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    await res.arrayBuffer()
  })

  it('falls back to index.html for an app route (single-page application)', async () => {
    const res = await get('/console/workflows/wf_1/edit')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(await (await get('/console/')).text())
    expect(res.headers.get('cache-control')).toBe('no-cache')
  })
})
