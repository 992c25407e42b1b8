/**
 * The transport's rules, on a scripted fetch and a virtual clock (vitest's fake timers): which
 * failures are retried, how long each wait is, when it stops. No test waits for real time.
 */
import { getEventListeners } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { errorAnswer, json, lost, type Step, scriptedFetch, stall, track } from '../test/scripted-fetch.js'
import { AuthenticationError, RateLimitError, WfConnectionError, WfError, WfTimeoutError } from './errors.js'
import { type Call, createTransport } from './transport.js'

const BASE = 'http://127.0.0.1:9'
const ok = json(200, { fine: true })
const get: Call<unknown> = { method: 'GET', path: '/v1/workflows', safety: 'idempotent' }
const patch: Call<unknown> = { method: 'PATCH', path: '/v1/workflows/wf_1', body: { name: 'x' }, safety: 'unsafe' }

function transport(steps: Step[], options: { maxRetries?: number; timeoutMs?: number; signal?: AbortSignal } = {}) {
  const f = scriptedFetch(...steps)
  return { ...f, t: createTransport({ baseUrl: BASE, headers: { 'x-api-key': 'wf_live_k' }, fetch: f.fetch, ...options }) }
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-29T12:00:00.000Z') })
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('what is retried', () => {
  it.each([400, 401, 403, 404, 405, 409, 412, 413, 415, 422])('%i is answered at once, never retried', async (status) => {
    const { t, calls } = transport([errorAnswer(status, 'some_code')])
    await expect(t.request(get)).rejects.toMatchObject({ status })
    expect(calls).toHaveLength(1)
  })

  it.each([429, 500, 502, 503, 504])('%i is retried, then succeeds', async (status) => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { t, calls } = transport([errorAnswer(status, 'x'), ok])
    const p = t.request(get)
    await vi.runAllTimersAsync()
    await expect(p).resolves.toEqual({ fine: true })
    expect(calls).toHaveLength(2)
  })

  it('a lost answer is retried for an idempotent request', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { t, calls } = transport([lost(), ok])
    const p = t.request(get)
    await vi.runAllTimersAsync()
    await expect(p).resolves.toEqual({ fine: true })
    expect(calls).toHaveLength(2)
  })

  it('an unsafe request is retried after 429 only: not after a lost answer or a 5xx', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const limited = transport([errorAnswer(429, 'rate_limited', { 'retry-after': '1' }), ok])
    const p = limited.t.request(patch)
    await vi.advanceTimersByTimeAsync(1000)
    await expect(p).resolves.toEqual({ fine: true })

    const cut = transport([lost(), ok])
    await expect(cut.t.request(patch)).rejects.toBeInstanceOf(WfConnectionError)
    expect(cut.calls).toHaveLength(1)

    const failed = transport([errorAnswer(503, 'x'), ok])
    await expect(failed.t.request(patch)).rejects.toMatchObject({ status: 503 })
    expect(failed.calls).toHaveLength(1)
  })

  it('alsoRetry adds statuses for one request', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { t, calls } = transport([errorAnswer(409, 'conflict'), ok])
    const p = t.request({ ...get, alsoRetry: [409] })
    await vi.runAllTimersAsync()
    await expect(p).resolves.toEqual({ fine: true })
    expect(calls).toHaveLength(2)
  })

  it('gives up after maxRetries more attempts (default 2) with the last error', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const three = transport([errorAnswer(503, 'a'), errorAnswer(503, 'b'), errorAnswer(503, 'c'), ok])
    const p = track(three.t.request(get))
    await vi.runAllTimersAsync()
    expect(p.error).toBeInstanceOf(WfError)
    expect((p.error as WfError).code).toBe('c')
    expect(three.calls).toHaveLength(3)

    const none = transport([lost(), ok], { maxRetries: 0 })
    await expect(none.t.request(get)).rejects.toBeInstanceOf(WfConnectionError)
    expect(none.calls).toHaveLength(1)
  })

  it('a connection cut while the body is read is a lost answer too', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const broken = () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode('{"fi'))
            c.error(new TypeError('terminated'))
          },
        }),
        { status: 200 },
      )
    const { t, calls } = transport([broken, ok])
    const p = t.request(get)
    await vi.runAllTimersAsync()
    await expect(p).resolves.toEqual({ fine: true })
    expect(calls).toHaveLength(2)
  })
})

describe('how long it waits', () => {
  it('backs off with full jitter: up to 0.5 s, then up to 1 s', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    const { t, calls } = transport([lost(), lost(), ok])
    const p = track(t.request(get))
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(498)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(998)
    expect(calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(3)
    expect(p.value).toEqual({ fine: true })
  })

  it('a 429 waits exactly as Retry-After says (seconds)', async () => {
    const { t, calls } = transport([errorAnswer(429, 'rate_limited', { 'retry-after': '5' }), ok])
    const p = track(t.request(get))
    await vi.advanceTimersByTimeAsync(4999)
    expect(calls).toHaveLength(1)
    expect(p.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
    expect(p.value).toEqual({ fine: true })
  })

  it('Retry-After as an HTTP date waits until then', async () => {
    const { t, calls } = transport([errorAnswer(503, 'x', { 'retry-after': 'Sun, 29 Nov 2026 12:00:03 GMT' }), ok])
    const p = track(t.request(get))
    await vi.advanceTimersByTimeAsync(2999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
    expect(p.value).toEqual({ fine: true })
  })

  it('Retry-After is capped at 60 s', async () => {
    const { t, calls } = transport([errorAnswer(429, 'rate_limited', { 'retry-after': '3600' }), ok])
    track(t.request(get))
    await vi.advanceTimersByTimeAsync(59_999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
  })

  it('after the last retry a 429 is a RateLimitError carrying retryAfter', async () => {
    const { t } = transport([errorAnswer(429, 'rate_limited', { 'retry-after': '7' })], { maxRetries: 0 })
    const error = await t.request(get).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfter).toBe(7)
  })
})

describe('timeouts and aborts', () => {
  it('each attempt has timeoutMs; after the last one it is a WfTimeoutError', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { t, calls } = transport([stall(), stall()], { timeoutMs: 1000, maxRetries: 1 })
    const p = track(t.request(get))
    await vi.advanceTimersByTimeAsync(999)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.signal.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls[0]!.signal.aborted).toBe(true)
    await vi.advanceTimersByTimeAsync(1) // the backoff (0 ms here)
    expect(calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1000)
    expect(p.error).toBeInstanceOf(WfTimeoutError)
    expect(calls).toHaveLength(2)
  })

  it('the timeout covers the body too', async () => {
    const slowBody = () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode('{'))
          },
        }),
        { status: 200 },
      )
    const { t } = transport([slowBody], { timeoutMs: 500, maxRetries: 0 })
    const p = track(t.request(get))
    await vi.advanceTimersByTimeAsync(500)
    expect(p.error).toBeInstanceOf(WfTimeoutError)
  })

  it("the caller's abort stops a stalled attempt at once, with the signal's reason, and nothing is retried", async () => {
    const { t, calls } = transport([stall(), ok])
    const controller = new AbortController()
    const p = track(t.request({ ...get, signal: controller.signal }))
    await vi.advanceTimersByTimeAsync(0)
    controller.abort()
    await vi.advanceTimersByTimeAsync(0)
    expect(p.error).toBeInstanceOf(DOMException)
    expect((p.error as DOMException).name).toBe('AbortError')
    await vi.advanceTimersByTimeAsync(120_000)
    expect(calls).toHaveLength(1)
  })

  it('an abort during the wait before a retry stops it too', async () => {
    const { t, calls } = transport([errorAnswer(429, 'rate_limited', { 'retry-after': '30' }), ok])
    const controller = new AbortController()
    const p = track(t.request({ ...get, signal: controller.signal }))
    await vi.advanceTimersByTimeAsync(1000)
    controller.abort(new Error('user left'))
    await vi.advanceTimersByTimeAsync(0)
    expect((p.error as Error).message).toBe('user left')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toHaveLength(1)
  })

  it('an already aborted signal sends nothing; the client-wide signal counts too', async () => {
    const { t, calls } = transport([ok])
    await expect(t.request({ ...get, signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
    expect(calls).toHaveLength(0)

    const clientWide = new AbortController()
    const c = transport([stall()], { signal: clientWide.signal })
    const p = track(c.t.request(get))
    await vi.advanceTimersByTimeAsync(0)
    clientWide.abort()
    await vi.advanceTimersByTimeAsync(0)
    expect((p.error as DOMException).name).toBe('AbortError')
  })
})

describe('listeners', () => {
  it('leaves no abort listener behind on a client-wide signal, however many calls it served', async () => {
    const clientWide = new AbortController()
    const { t } = transport(Array(20).fill(ok), { signal: clientWide.signal })
    for (let i = 0; i < 20; i++) await t.request({ ...get, signal: new AbortController().signal })
    expect(getEventListeners(clientWide.signal, 'abort')).toHaveLength(0)
  })
})

describe('recovering a write whose answer was lost', () => {
  const recoverable = (recover: NonNullable<Call<unknown>['recover']>): Call<unknown> => ({ ...patch, safety: 'idempotent', recover })

  it('asks recover only when an earlier attempt had no definite answer', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const recover = vi.fn(async () => ({ recovered: true }))
    const after = transport([lost(), errorAnswer(412, 'precondition_failed')])
    const p = track(after.t.request(recoverable(recover)))
    await vi.runAllTimersAsync()
    expect(p.value).toEqual({ recovered: true })
    expect(recover).toHaveBeenCalledTimes(1)

    recover.mockClear()
    const definite = transport([errorAnswer(412, 'precondition_failed')])
    await expect(definite.t.request(recoverable(recover))).rejects.toMatchObject({ status: 412 })
    expect(recover).not.toHaveBeenCalled()

    // A 429 is definite too: the server did nothing.
    const limited = transport([errorAnswer(429, 'rate_limited', { 'retry-after': '0' }), errorAnswer(412, 'precondition_failed')])
    const q = track(limited.t.request(recoverable(recover)))
    await vi.runAllTimersAsync()
    expect((q.error as WfError).status).toBe(412)
    expect(recover).not.toHaveBeenCalled()
  })

  it('when recover finds nothing, the error stands', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { t } = transport([errorAnswer(503, 'x'), errorAnswer(412, 'precondition_failed')])
    const p = track(t.request(recoverable(async () => undefined)))
    await vi.runAllTimersAsync()
    expect((p.error as WfError).status).toBe(412)
  })
})

describe('requests and answers', () => {
  it('sends JSON with the credentials, and reads JSON', async () => {
    const { t, calls } = transport([json(201, { workflow: { id: 'wf_1' } })])
    await expect(t.request({ ...patch, headers: { 'if-match': '"2"' } })).resolves.toEqual({ workflow: { id: 'wf_1' } })
    expect(calls[0]).toMatchObject({
      url: `${BASE}/v1/workflows/wf_1`,
      method: 'PATCH',
      body: { name: 'x' },
      headers: { accept: 'application/json', 'content-type': 'application/json', 'x-api-key': 'wf_live_k', 'if-match': '"2"' },
    })
  })

  it('a GET sends no body and no content type', async () => {
    const { t, calls } = transport([ok])
    await t.request(get)
    expect(calls[0]!.body).toBeUndefined()
    expect(calls[0]!.headers['content-type']).toBeUndefined()
  })

  it('a success whose body is not JSON is an error, not a success', async () => {
    const { t } = transport([() => new Response('<html>', { status: 200 })])
    await expect(t.request(get)).rejects.toMatchObject({ code: 'invalid_response', status: 200 })
  })

  it('a 401 is an AuthenticationError', async () => {
    const { t } = transport([errorAnswer(401, 'unauthorized')])
    await expect(t.request(get)).rejects.toBeInstanceOf(AuthenticationError)
  })

  it('refuses bad options when created, not at the first request', () => {
    const make = (o: object) => () => createTransport({ baseUrl: BASE, headers: {}, ...o })
    expect(make({ baseUrl: '127.0.0.1:3000' })).toThrow(/baseUrl must be an http\(s\) URL/)
    expect(make({ baseUrl: 'ftp://x' })).toThrow(TypeError)
    expect(make({ maxRetries: -1 })).toThrow(/maxRetries must be a whole number of at least 0/)
    expect(make({ maxRetries: 1.5 })).toThrow(TypeError)
    expect(make({ timeoutMs: 0 })).toThrow(/timeoutMs must be a whole number of at least 1/)
    expect(make({ maxRetries: 0, timeoutMs: 1 })).not.toThrow()
  })

  it('trims trailing slashes from baseUrl', async () => {
    const f = scriptedFetch(ok)
    await createTransport({ baseUrl: `${BASE}//`, headers: {}, fetch: f.fetch }).request(get)
    expect(f.calls[0]!.url).toBe(`${BASE}/v1/workflows`)
  })
})
