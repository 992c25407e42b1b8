// Node-level edges of HTTP that the app never sees: parser rejections and oversized bodies.
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
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
    const res = await raw(
      'POST',
      '/admin/v1/organizations',
      { authorization: 'Bearer edges-admin', 'content-type': 'application/json' },
      `{"name":"${'x'.repeat(70_000)}"}`,
    )
    expect(res.status).toBe(413)
    expect(res.headers.connection).toBe('close')
  })
})

// ---- bytes on a socket -----------------------------------------------------------------------

/** Writes `bytes` on a fresh connection and returns all that comes back until the server closes it (or 5 s). */
function exchange(bytes: string, { closeAfterWrite = false } = {}): Promise<string> {
  const url = new URL(server.url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname)
    let received = ''
    const timer = setTimeout(() => socket.destroy(), 5000)
    socket.on('data', (d) => (received += d.toString('latin1')))
    socket.on('error', reject)
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(received)
    })
    socket.write(bytes, () => {
      if (closeAfterWrite) socket.destroy()
    })
  })
}

/** The responses in a byte stream: status and JSON body of each. */
// biome-ignore lint/suspicious/noExplicitAny: a JSON reply, read by the assertions
type Json = any

function responses(stream: string): { status: number; headers: string; body: Json }[] {
  const out = []
  let rest = stream
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n')
    const head = rest.slice(0, headEnd)
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1])
    const body = rest.slice(headEnd + 4, headEnd + 4 + length)
    out.push({ status: Number(head.slice(9, 12)), headers: head, body: JSON.parse(body) })
    rest = rest.slice(headEnd + 4 + length)
  }
  return out
}

const expectContractError = (r: { status: number; headers: string; body: Json }, status: number) => {
  expect(r.status).toBe(status)
  expect(r.headers).toMatch(/^content-type: application\/json$/im)
  expect(r.body).toMatchObject({ code: 'invalid_request', request_id: expect.stringMatching(/^req_/) })
  expect(r.headers).toMatch(new RegExp(`^x-request-id: ${r.body.request_id}$`, 'im'))
}

async function workflowWithKey(): Promise<{ key: string; id: string }> {
  const admin = { authorization: 'Bearer edges-admin', 'content-type': 'application/json' }
  const org = JSON.parse((await raw('POST', '/admin/v1/organizations', admin, '{"name":"Edges"}')).body).organization
  const { secret } = JSON.parse((await raw('POST', `/admin/v1/organizations/${org.id}/api-keys`, admin, '{"mode":"live"}')).body)
  const created = await raw(
    'POST',
    '/v1/workflows',
    { 'x-api-key': secret, 'content-type': 'application/json' },
    '{"name":"before","steps":[{"id":"FACE_LIVENESS"}]}',
  )
  return { key: secret, id: JSON.parse(created.body).workflow.id }
}

describe('a valid request followed by bytes the parser rejects (issue 10, item 2)', () => {
  it('gets its own answer, with Connection: close: a client is never told "failed" about a write that happened', async () => {
    const { key, id } = await workflowWithKey()
    const patch = `PATCH /v1/workflows/${id} HTTP/1.1\r\nHost: x\r\nx-api-key: ${key}\r\ncontent-type: application/json\r\nContent-Length: 24\r\n\r\n{"name":"after garbage"}`
    const answers = responses(await exchange(`${patch}GARBAGE /`))
    expect(answers.map((a) => a.status)).toEqual([200])
    expect(answers[0]!.body.workflow).toMatchObject({ name: 'after garbage', version: 2 })
    expect(answers[0]!.headers).toMatch(/^connection: close$/im)
  })

  it('junk after a request already answered gets the 400 with the contract body', async () => {
    const { key, id } = await workflowWithKey()
    const url = new URL(server.url)
    const received = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname)
      let text = ''
      socket.on('data', (d) => {
        text += d.toString('latin1')
        if (text.includes('"workflow"')) socket.write('GARBAGE /\r\n\r\n') // only once the GET is answered
      })
      socket.on('error', reject)
      socket.on('close', () => resolve(text))
      socket.setTimeout(5000, () => socket.destroy())
      socket.write(`GET /v1/workflows/${id} HTTP/1.1\r\nHost: x\r\nx-api-key: ${key}\r\n\r\n`)
    })
    const answers = responses(received)
    expect(answers.map((a) => a.status)).toEqual([200, 400])
    expectContractError(answers[1]!, 400)
  })

  it('two pipelined writes and then junk: both answered in order', async () => {
    const { key, id } = await workflowWithKey()
    const patch = (name: string) => {
      const body = JSON.stringify({ name })
      return `PATCH /v1/workflows/${id} HTTP/1.1\r\nHost: x\r\nx-api-key: ${key}\r\ncontent-type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    }
    const answers = responses(await exchange(`${patch('one')}${patch('two')}\x00\x01\x02 nonsense\r\n\r\n`))
    expect(answers.map((a) => [a.status, a.body.workflow?.name])).toEqual([
      [200, 'one'],
      [200, 'two'],
    ])
    expect(answers[1]!.headers).toMatch(/^connection: close$/im)
  })

  it('a GET pipelined behind a PATCH reads what the PATCH wrote (RFC 9112 §9.3.2)', async () => {
    const { key, id } = await workflowWithKey()
    const body = JSON.stringify({ name: 'pipelined' })
    const patch = `PATCH /v1/workflows/${id} HTTP/1.1\r\nHost: x\r\nx-api-key: ${key}\r\ncontent-type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    const get = `GET /v1/workflows/${id} HTTP/1.1\r\nHost: x\r\nx-api-key: ${key}\r\n`
    const answers = responses(await exchange(`${patch}${get}\r\n${get}Connection: close\r\n\r\n`))
    expect(answers.map((a) => [a.status, a.body.workflow.name, a.body.workflow.version])).toEqual([
      [200, 'pipelined', 2],
      [200, 'pipelined', 2],
      [200, 'pipelined', 2],
    ])
  })

  it("Node's own client: a DELETE with an unframed body answers 200 and is archived", async () => {
    const { key, id } = await workflowWithKey()
    const url = new URL(server.url)
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, method: 'DELETE', path: `/v1/workflows/${id}`, headers: { 'x-api-key': key } },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.end('{}') // Node sends a DELETE body with neither Content-Length nor chunked framing
    })
    expect(status).toBe(200)
    const read = await raw('GET', `/v1/workflows/${id}`, { 'x-api-key': key })
    expect(JSON.parse(read.body).workflow.status).toBe('archived')
  })
})

describe('what Node answered bare, now with the contract body (issue 10, item 7)', () => {
  it('an HTTP/1.1 request without Host is 400', async () => {
    const [answer] = responses(await exchange('GET /health HTTP/1.1\r\n\r\n'))
    expectContractError(answer!, 400)
    expect(answer!.body.error).toBe('The request has no Host header.')
  })

  it('so is an HTTP/1.0 one (the URL is built from Host)', async () => {
    const [answer] = responses(await exchange('GET /health HTTP/1.0\r\n\r\n'))
    expectContractError(answer!, 400)
  })

  it('OPTIONS * is 400', async () => {
    const [answer] = responses(await exchange('OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n'))
    expectContractError(answer!, 400)
  })

  it('CONNECT is 400, not a silent close', async () => {
    const [answer] = responses(await exchange('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'))
    expectContractError(answer!, 400)
  })

  it('an expectation other than 100-continue is served like the request without it (as on Workers)', async () => {
    const [answer] = responses(await exchange('GET /health HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nConnection: close\r\n\r\n'))
    expect(answer).toMatchObject({ status: 200, body: { status: 'ok' } })
  })

  it("headers between 16 and 32 KiB get the app's 431; over 32 KiB the parser's, with the same body", async () => {
    for (const size of [17_000, 40_000]) {
      const res = await raw('GET', '/health', { 'x-pad': 'a'.repeat(size) })
      expect(res.status).toBe(431)
      expect(JSON.parse(res.body)).toMatchObject({ code: 'invalid_request', error: 'The request headers are too large.' })
    }
  })
})

describe('many header fields', () => {
  it('none is dropped: a Host after 2,500 short fields is still seen, and the head limit decides', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => `x-${i}: 1\r\n`).join('') // under 32 KiB
    const [answer] = responses(await exchange(`GET /health HTTP/1.1\r\n${many}Host: x\r\nConnection: close\r\n\r\n`))
    expect(answer!.status).toBe(431) // over 16 KiB: the app's rule, not a lost Host (400)
    const fewer = Array.from({ length: 1500 }, (_, i) => `x${i}: 1\r\n`).join('') // under 16 KiB
    const [served] = responses(await exchange(`GET /health HTTP/1.1\r\n${fewer}Host: x\r\nConnection: close\r\n\r\n`))
    expect(served).toMatchObject({ status: 200, body: { status: 'ok' } })
  })
})

describe('a client that goes away mid-body (issue 10, item 6)', () => {
  it('is not logged as a server error', async () => {
    const { key } = await workflowWithKey()
    const before = server.output().length
    await exchange(
      `POST /v1/workflows HTTP/1.1\r\nHost: x\r\nx-api-key: ${key}\r\ncontent-type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"`,
      { closeAfterWrite: true },
    )
    // The server notices the close and logs the request; wait until its line is there (bounded).
    const logged = () => server.output().slice(before).includes('"method":"POST","path":"/v1/workflows","status":400')
    for (let i = 0; i < 100 && !logged(); i++) await new Promise((r) => setTimeout(r, 20))
    const lines = server.output().slice(before)
    expect(lines).toContain('"method":"POST","path":"/v1/workflows","status":400')
    expect(lines).not.toContain('"level":"error"')
    expect(lines).not.toContain('"status":500')
  })
})
