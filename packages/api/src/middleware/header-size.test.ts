import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApi, type TestApi } from '../test-support/harness.js'
import { expectError } from '../test-support/helpers.js'
import { headBytes, MAX_HEAD_BYTES } from './header-size.js'

let t: TestApi
beforeEach(() => {
  t = createTestApi()
})
afterEach(() => t.close())

describe('headBytes counts the head as it is sent on the wire', () => {
  it('request line and fields, with their separators', () => {
    // "GET /health?x=1 HTTP/1.1\r\n" + "a: bc\r\n" + "x-y: z\r\n"
    expect(headBytes('GET', 'http://127.0.0.1:3000/health?x=1', new Headers({ a: 'bc', 'x-y': 'z' }))).toBe(26 + 7 + 8)
  })

  it('leaves out what a proxy in front adds', () => {
    const plain = headBytes('GET', 'http://h/', new Headers({ a: 'b' }))
    const proxied = headBytes(
      'GET',
      'http://h/',
      new Headers({
        a: 'b',
        'cf-connecting-ip': '127.0.0.1',
        'x-forwarded-for': '1.2.3.4',
        'x-real-ip': '1.2.3.4',
        'cdn-loop': 'cloudflare',
      }),
    )
    expect(proxied).toBe(plain)
  })
})

describe('a head over 16 KiB is 431 with the contract body', () => {
  // A request to /health whose head is exactly `size` bytes (the padding header's value fills it).
  const sized = (size: number) => {
    const base = headBytes('GET', 'http://localhost/health', new Headers({ 'x-pad': '' }))
    return t.request('GET', '/health', { headers: { 'x-pad': 'p'.repeat(size - base) } })
  }

  it('exactly 16 KiB passes; one byte more is 431', async () => {
    expect((await sized(MAX_HEAD_BYTES)).status).toBe(200)
    const err = await expectError(await sized(MAX_HEAD_BYTES + 1), 431, 'invalid_request')
    expect(err.error).toBe('The request headers are too large.')
  })

  it('a long URL counts too, and is refused before the key is looked at', async () => {
    expect((await t.request('GET', `/v1/workflows?pad=${'q'.repeat(16_000)}`)).status).toBe(401)
    await expectError(await t.request('GET', `/v1/workflows?pad=${'q'.repeat(17_000)}`), 431, 'invalid_request')
  })
})
