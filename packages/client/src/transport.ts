/**
 * One request, tried as often as it is safe to: each attempt has its own timeout; the caller's
 * AbortSignal stops everything at once; retryable failures wait (backoff or Retry-After) and go
 * again, up to `maxRetries` more attempts.
 *
 * Whether a failure may be retried depends on what the request does:
 * - `idempotent` requests (reads, archive, revoke, a create with its Idempotency-Key, a change with
 *   If-Match) are retried after connection errors, timeouts, 429 and 5xx;
 * - `unsafe` ones (a change without If-Match, the admin creates) only after a 429, which the server
 *   answers before doing anything: after a lost answer nobody can tell whether they happened.
 */
import { errorFromResponse, WfConnectionError, WfError, WfTimeoutError } from './errors.js'
import { isRetryableStatus, parseRetryAfter, retryDelayMs } from './retry.js'

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>

export interface TransportOptions {
  baseUrl: string
  /** Sent with every request (the key or the admin token). */
  headers: Record<string, string>
  fetch?: FetchLike | undefined
  maxRetries?: number | undefined
  timeoutMs?: number | undefined
  /** Stops every request of this client when it aborts. */
  signal?: AbortSignal | undefined
}

export const DEFAULT_MAX_RETRIES = 2
export const DEFAULT_TIMEOUT_MS = 30_000

export interface Call<T> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  body?: unknown
  headers?: Record<string, string>
  safety: 'idempotent' | 'unsafe'
  /** Statuses this request also retries (a create retries 409: its own earlier attempt still in progress). */
  alsoRetry?: readonly number[]
  /**
   * Called when an attempt after one whose outcome is unknown fails for good: it may find that the
   * unknown attempt had done the work, and return its result instead of the error.
   */
  recover?: (error: WfError, signal: AbortSignal | undefined) => Promise<T | undefined>
  signal?: AbortSignal | undefined
}

/** What failed an attempt: an answer, or none (and why). */
type Failure = { kind: 'answer'; error: WfError } | { kind: 'connection'; cause: unknown } | { kind: 'timeout' }

export interface Transport {
  request<T>(call: Call<T>): Promise<T>
}

export function createTransport(options: TransportOptions): Transport {
  const baseUrl = checkBaseUrl(options.baseUrl)
  const maxRetries = checkWhole('maxRetries', options.maxRetries ?? DEFAULT_MAX_RETRIES, 0)
  const timeoutMs = checkWhole('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1)
  // Looked up at each call, not bound once: a fetch installed later (a polyfill, a test) is used.
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init))

  async function request<T>(call: Call<T>): Promise<T> {
    const linked = anySignal(options.signal, call.signal)
    try {
      return await send(call, linked.signal)
    } finally {
      linked.release()
    }
  }

  async function send<T>(call: Call<T>, signal: AbortSignal | undefined): Promise<T> {
    const init = {
      method: call.method,
      headers: {
        accept: 'application/json',
        ...options.headers,
        ...(call.body !== undefined && { 'content-type': 'application/json' }),
        ...call.headers,
      },
      ...(call.body !== undefined && { body: JSON.stringify(call.body) }),
    }
    // True once an attempt ended without telling whether the server did the work.
    let uncertain = false
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(signal)
      const outcome = await attempt1(fetchFn, `${baseUrl}${call.path}`, init, timeoutMs, signal)
      if (outcome.ok) return outcome.body as T
      const failure = outcome.failure
      const retryable =
        failure.kind === 'answer'
          ? failure.error.status === 429 ||
            (call.safety === 'idempotent' && (isRetryableStatus(failure.error.status) || !!call.alsoRetry?.includes(failure.error.status)))
          : call.safety === 'idempotent'
      if (retryable && attempt < maxRetries) {
        if (failure.kind !== 'answer' || failure.error.status >= 500) uncertain = true
        const retryAfter = failure.kind === 'answer' ? failure.error.retryAfter : undefined
        await sleep(retryDelayMs(attempt, retryAfter), signal)
        continue
      }
      if (failure.kind === 'connection')
        throw new WfConnectionError(`Could not reach ${baseUrl}: ${describe(failure.cause)}`, { cause: failure.cause })
      if (failure.kind === 'timeout')
        throw new WfTimeoutError(`No answer from ${baseUrl} within ${timeoutMs} ms (${attempt + 1} attempts).`)
      if (uncertain && call.recover) {
        const recovered = await call.recover(failure.error, signal)
        if (recovered !== undefined) return recovered
      }
      throw failure.error
    }
  }

  return { request }
}

type Outcome = { ok: true; body: unknown } | { ok: false; failure: Failure }

/** One attempt: the fetch and the whole body, within `timeoutMs`; the caller's abort is rethrown. */
async function attempt1(
  fetchFn: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Outcome> {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timeoutMs)
  const onAbort = () => controller.abort(signal?.reason)
  signal?.addEventListener('abort', onAbort)
  try {
    const response = await fetchFn(url, { ...init, signal: controller.signal })
    // Raced against the abort: a fetch given by the caller may not tie its body to the signal.
    const text = await untilAborted(response.text(), controller.signal)
    if (response.ok) return { ok: true, body: parseSuccess(response, text) }
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now())
    return { ok: false, failure: { kind: 'answer', error: errorFromResponse(response.status, response.headers, text, retryAfter) } }
  } catch (cause) {
    if (cause instanceof WfError) throw cause
    throwIfAborted(signal)
    return { ok: false, failure: timedOut ? { kind: 'timeout' } : { kind: 'connection', cause } }
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}

/** A success's JSON body; anything else (a proxy's page) is an error, not a success. */
function parseSuccess(response: Response, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new WfError({
      status: response.status,
      code: 'invalid_response',
      message: `The server answered ${response.status} with a body that is not JSON.`,
      requestId: response.headers.get('x-request-id') ?? undefined,
      headers: response.headers,
    })
  }
}

/** The promise's outcome, or a rejection with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/**
 * One signal that aborts when either does (AbortSignal.any is missing from older browsers), and
 * `release`, which takes its listeners off both again: a client-wide signal outlives many calls.
 */
function anySignal(a: AbortSignal | undefined, b: AbortSignal | undefined): { signal: AbortSignal | undefined; release(): void } {
  if (!a || !b) return { signal: a ?? b, release: () => {} }
  const controller = new AbortController()
  const from = (s: AbortSignal) => () => controller.abort(s.reason)
  const listeners = [a, b].map((s) => [s, from(s)] as const)
  for (const [s, listener] of listeners) {
    if (s.aborted) {
      listener()
      break
    }
    s.addEventListener('abort', listener, { once: true })
  }
  return {
    signal: controller.signal,
    release: () => {
      for (const [s, listener] of listeners) s.removeEventListener('abort', listener)
    },
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}

/** Waits `ms`, or less if the signal aborts (then throws its reason). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }
    const timer = setTimeout(done, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason ?? new DOMException('This operation was aborted', 'AbortError'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : ''
    return `${cause.message}${inner}`
  }
  return String(cause)
}

function checkBaseUrl(value: unknown): string {
  if (typeof value !== 'string' || !/^https?:\/\/[^/]/i.test(value)) {
    throw new TypeError(`baseUrl must be an http(s) URL such as "http://127.0.0.1:3000"; got ${JSON.stringify(value)}`)
  }
  return value.replace(/\/+$/, '')
}

function checkWhole(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new TypeError(`${name} must be a whole number of at least ${min}; got ${value}`)
  return value
}
