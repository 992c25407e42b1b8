// Node-level edges of HTTP that the app never sees: parser rejections and oversized bodies.
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, startServer } from './server-process.js'

const dir = mkdtempSync(join(tmpdir(), 'wf-http-edges-'))
let server: RunningServer
beforeAll(async () => {
  server = await startServer({ WF_DB_PATH: join(dir, 'wf.sqlite'), WF_ADMIN_TOKEN: 'edges-admin' })
})
afterAll(async () => {
  server.process.kill('SIGTERM')
  await server.exited
  rmSync(dir, { recursive: true, force: true })
})

function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const url = new URL(server.url)
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = ''
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('HTTP the parser rejects', () => {
  it('an unknown method gets the JSON error body with a request id', async () => {
    const res = await raw('FOO', '/v1/workflows')
    expect(res.status).toBe(400)
    expect(res.headers['content-type']).toBe('application/json')
    expect(JSON.parse(res.body)).toMatchObject({ code: 'invalid_request', request_id: expect.stringMatching(/^req_/) })
  })

  it('headers over 16 KiB get 431 with the JSON error body', async () => {
    const res = await raw('GET', '/health', { 'x-pad': 'a'.repeat(20_000) })
    expect(res.status).toBe(431)
    expect(JSON.parse(res.body).code).toBe('invalid_request')
  })
})

describe('a body over 64 KiB', () => {
  it('is 413 with Connection: close, so no next request is sent on a connection about to drop', async () => {
    const res = await raw('POST', '/admin/v1/organizations', { authorization: 'Bearer edges-admin', 'content-type': 'application/json' }, `{"name":"${'x'.repeat(70_000)}"}`)
    expect(res.status).toBe(413)
    expect(res.headers.connection).toBe('close')
  })
})
