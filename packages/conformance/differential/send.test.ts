/**
 * The raw sender itself: an answer to CONNECT whose body arrives in a later packet than its head
 * is read whole (CI once saw workerd's "Internal Server Error" arrive that way and read as "").
 */
import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { App } from './send.js'

let server: Server
let url: string

beforeAll(async () => {
  server = createServer((socket) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 21\r\nConnection: close\r\n\r\n')
      // The body in two later writes, apart in time, so they cannot share the head's packet.
      setTimeout(() => socket.write('Internal Server'), 30)
      setTimeout(() => socket.end(' Error'), 60)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  url = `http://127.0.0.1:${address.port}`
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('App.send', () => {
  it('reads a CONNECT answer to the end of its Content-Length when the body comes after the head', async () => {
    const app = new App('edge', url)
    const answer = await app.send(app.resolve({ method: 'CONNECT', path: '127.0.0.1:9', headers: { host: '127.0.0.1:9' } }))
    app.close()
    expect(answer.status).toBe(500)
    expect(answer.body.toString('utf8')).toBe('Internal Server Error')
  })
})
