// How a write's body is read into JSON: bytes decoded the same way on every runtime (RELIABILITY.md,
// the differential suite's findings: two byte order marks, invalid UTF-8, a client gone mid-body).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApi, type TestApi, type TestOrg } from '../test-support/harness.js'
import { expectError, readJson } from '../test-support/helpers.js'

const BOM = [0xef, 0xbb, 0xbf]
const utf8 = (text: string) => [...new TextEncoder().encode(text)]
const body = (...parts: number[][]) => new Uint8Array(parts.flat())
const workflow = JSON.stringify({ name: 'Bytes', steps: [{ id: 'FACE_LIVENESS' }] })

let t: TestApi
let org: TestOrg
beforeEach(async () => {
  t = createTestApi()
  org = await t.newOrg()
})
afterEach(() => t.close())

const create = (bytes: Uint8Array | ReadableStream<Uint8Array>, contentType = 'application/json') =>
  t.request('POST', '/v1/workflows', { key: org.live, body: bytes, headers: { 'content-type': contentType } })

describe('byte order marks (RFC 8259 §8.1 allows one)', () => {
  it('a body without one, and with one, is read', async () => {
    expect((await create(body(utf8(workflow)))).status).toBe(201)
    expect((await create(body(BOM, utf8(workflow)))).status).toBe(201)
  })

  it('a second one is not JSON', async () => {
    const err = await expectError(await create(body(BOM, BOM, utf8(workflow))), 400, 'invalid_json')
    expect(err.error).toBe('The request body is not valid JSON.')
  })

  it('a body of only a byte order mark is empty', async () => {
    const err = await expectError(await create(body(BOM)), 400, 'invalid_json')
    expect(err.error).toMatch(/empty/)
    const res = await t.request('PATCH', `/v1/workflows/${(await readJson(await create(body(utf8(workflow))))).workflow.id}`, {
      key: org.live,
      body: body(BOM),
    })
    expect(res.status).toBe(200) // an empty PATCH body is {}
  })
})

describe('UTF-8', () => {
  it('a name in valid multi-byte UTF-8 is stored as sent', async () => {
    const res = await create(body(utf8(JSON.stringify({ name: 'Zoë 😀', steps: [{ id: 'FACE_LIVENESS' }] }))))
    expect((await readJson(res)).workflow.name).toBe('Zoë 😀')
  })

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a truncated sequence', [0xc3]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a byte that never occurs', [0xff]],
  ])('invalid UTF-8 (%s) in a string is 400, not stored as U+FFFD', async (_, bad) => {
    const err = await expectError(await create(body(utf8('{"name":"a'), bad, utf8('","steps":[]}'))), 400, 'invalid_json')
    expect(err.error).toBe('The request body is not valid UTF-8.')
    expect((await readJson(await t.request('GET', '/v1/workflows', { key: org.live }))).workflows).toEqual([])
  })

  it('the content type is judged before the bytes (415 before 400, contract §8)', async () => {
    await expectError(await create(body([0xff]), 'text/plain'), 415, 'unsupported_media_type')
  })
})

describe('a body that stops arriving', () => {
  const broken = () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"name":"a'))
        controller.error(new Error('aborted'))
      },
    })

  // Without Content-Length the body is counted as it arrives; with one, it is read by jsonBody.
  it.each([
    ['of unknown length', {}],
    ['with a Content-Length', { 'content-length': '100' }],
  ])('%s is a 400 for the client, logged as a request, not as a server error', async (_, headers) => {
    const res = await t.request('POST', '/v1/workflows', {
      key: org.live,
      body: broken(),
      headers: { 'content-type': 'application/json', ...headers },
    })
    const err = await expectError(res, 400, 'invalid_request')
    expect(err.error).toBe('The request body ended before it was complete.')
    expect(t.logs.filter((l) => l.level === 'error')).toEqual([])
    expect(t.logs.at(-1)).toMatchObject({ msg: 'request', status: 400 })
  })
})
