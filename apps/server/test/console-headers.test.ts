// The `_headers` reader (src/console/headers-file.ts): Cloudflare's parser and rules engine, and the
// console's real file (apps/console/public/_headers), the one source of both apps' console headers.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { headerRules, parseHeadersFile } from '../src/console/headers-file.js'

const REAL = readFileSync(new URL('../../console/public/_headers', import.meta.url), 'utf8')
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

function apply(file: string, path: string, start: Record<string, string> = {}) {
  const { rules } = parseHeadersFile(file)
  const headers = new Headers(start)
  headerRules(rules)(path, headers)
  return Object.fromEntries(headers)
}

describe("the console's _headers", () => {
  it('parses whole: two rules, no line skipped', () => {
    const { rules, invalid } = parseHeadersFile(REAL)
    expect(invalid).toEqual([])
    expect(rules.map((r) => r.path)).toEqual(['/console/*', '/console/assets/*'])
  })

  const defaults = { 'content-type': 'text/html; charset=utf-8', etag: '"abc"', 'cache-control': 'public, max-age=0, must-revalidate' }
  it('gives a page the CSP, nosniff, no-referrer and no-cache, and drops the ETag', () => {
    expect(apply(REAL, '/console/', defaults)).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    expect(apply(REAL, '/console/workflows/wf_1/edit', defaults)['cache-control']).toBe('no-cache')
  })

  it('gives a hashed file one Cache-Control: immutable (the page rule detached first)', () => {
    const h = apply(REAL, '/console/assets/index-AbC123.js', { ...defaults, 'content-type': 'text/javascript; charset=utf-8' })
    expect(h['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(h['content-security-policy']).toBe(CSP)
    expect(h.etag).toBeUndefined()
  })

  it('matches nothing outside /console/ (so /console, the redirect, has only its Location)', () => {
    expect(apply(REAL, '/console', { location: '/console/' })).toEqual({ location: '/console/' })
    expect(apply(REAL, '/v1/workflows', {})).toEqual({})
    expect(apply(REAL, '/consoles/', {})).toEqual({})
  })
})

describe("Cloudflare's _headers semantics", () => {
  it('appends to a header an earlier rule set, and replaces a default', () => {
    const file = '/a/*\n  X-A: one\n  Cache-Control: no-store\n/a/b\n  X-A: two\n'
    expect(apply(file, '/a/b', { 'cache-control': 'default' })).toEqual({ 'x-a': 'one, two', 'cache-control': 'no-store' })
    expect(apply(file, '/a/c', {})).toEqual({ 'x-a': 'one', 'cache-control': 'no-store' })
  })

  it('joins a header given twice in one rule', () => {
    expect(apply('/x\n  Link: <a>\n  Link: <b>\n', '/x')).toEqual({ link: '<a>, <b>' })
  })

  it('detaches with "! Name" before setting', () => {
    expect(apply('/x\n  ! X-Powered-By\n', '/x', { 'x-powered-by': 'me' })).toEqual({})
  })

  it('fills :splat and :placeholders from the path', () => {
    expect(apply('/u/:id/*\n  X-Id: :id\n  X-Rest: :splat\n', '/u/42/a/b')).toEqual({ 'x-id': '42', 'x-rest': 'a/b' })
    expect(apply('/u/:id\n  X-Id: :id\n', '/u/42/more')).toEqual({})
  })

  it('keeps the later rule for a path given twice', () => {
    const { rules } = parseHeadersFile('/x\n  A: 1\n/y\n  B: 2\n/x\n  C: 3\n')
    expect(rules).toEqual([
      { path: '/x', set: { c: '3' }, unset: [] },
      { path: '/y', set: { b: '2' }, unset: [] },
    ])
  })

  it('matches the path exactly: no prefix match without *', () => {
    expect(apply('/console/\n  A: 1\n', '/console/x')).toEqual({})
    expect(apply('/console/\n  A: 1\n', '/console/')).toEqual({ a: '1' })
  })

  it('skips and reports the lines Cloudflare skips', () => {
    const { rules, invalid } = parseHeadersFile(
      [
        'X-Before: path', // a header before any path
        '/ok',
        '  Good: yes',
        '  no colon here',
        '  Bad Name: x',
        '  Empty:',
        '/empty',
        'https://example.com/*',
        '  X: 1',
        '# a comment',
      ].join('\n'),
    )
    expect(rules).toEqual([{ path: '/ok', set: { good: 'yes' }, unset: [] }])
    expect(invalid.map((i) => i.lineNumber)).toEqual([1, 4, 5, 6, 7, 8, 9])
  })

  it('skips a rule with two * (it does not compile on Cloudflare either)', () => {
    expect(apply('/a/*/b/*\n  X: 1\n/a/*\n  Y: 2\n', '/a/1/b/2')).toEqual({ y: '2' })
  })
})
