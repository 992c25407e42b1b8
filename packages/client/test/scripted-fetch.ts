/**
 * A fetch that answers from a script, one step per call, and records every call: the fault
 * injector of the client's unit tests (a lost answer, a 503, a stall, a 429 with Retry-After).
 */
import type { FetchLike } from '../src/transport.js'

export interface RecordedCall {
  url: string
  method: string
  headers: Record<string, string>
  body: unknown
  signal: AbortSignal
}

export type Step = (call: RecordedCall) => Response | Promise<Response>

export interface ScriptedFetch {
  fetch: FetchLike
  calls: RecordedCall[]
}

export function scriptedFetch(...steps: Step[]): ScriptedFetch {
  const calls: RecordedCall[] = []
  const fetch: FetchLike = async (url, init) => {
    const call: RecordedCall = {
      url,
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      signal: init.signal as AbortSignal,
    }
    calls.push(call)
    const step = steps[calls.length - 1]
    if (!step) throw new Error(`unexpected call ${calls.length}: ${call.method} ${url}`)
    return step(call)
  }
  return { fetch, calls }
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

export const errorAnswer = (status: number, code: string, headers: Record<string, string> = {}) =>
  json(status, { error: `${code} sentence`, code, request_id: 'req_test' }, headers)

/** No answer: what fetch does when the connection fails or is cut. */
export const lost = () => () => Promise.reject(new TypeError('fetch failed'))

/** An answer that never comes, until the attempt's signal aborts (timeout or caller). */
export const stall = () => (call: RecordedCall) =>
  new Promise<Response>((_, reject) => {
    call.signal.addEventListener('abort', () => reject(call.signal.reason), { once: true })
  })

/** Watches a promise without awaiting it: whether it has settled yet, and how. */
export function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false }
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error) => Object.assign(state, { settled: true, error }),
  )
  return state
}
