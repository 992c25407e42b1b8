/**
 * A fetch that misbehaves on purpose, for the client's `fetch` option: it wraps the global fetch,
 * records every call (what was sent, what came back) and, for the calls it is told to, fails in one
 * of the ways a network or a proxy does. Web-platform globals only: it runs in a Worker too.
 *
 * A plan lists what happens to the 1st, 2nd, 3rd… call that `when` selects (every call by
 * default); once the plan is used up, calls pass. Calls `when` does not select always pass.
 */
import type { FetchLike } from '@wf/client'

export type Behaviour =
  /** The real fetch, untouched. */
  | { kind: 'pass' }
  /** The real fetch; the whole answer is read (the server has done the work), then lost: TypeError('fetch failed'). */
  | { kind: 'lose' }
  /** An answer made up here; the server never sees the request. */
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Never answers; rejects with the signal's reason when the request's signal aborts. */
  | { kind: 'stall' }
  /** Anything else: another writer's request before failing, say. */
  | { kind: 'custom'; label: string; run: (real: FetchLike, input: string, init: RequestInit) => Promise<Response> }

export const pass: Behaviour = { kind: 'pass' }
export const lose: Behaviour = { kind: 'lose' }
export const stall: Behaviour = { kind: 'stall' }
export const answer = (status: number, body?: unknown, headers?: Record<string, string>): Behaviour => ({
  kind: 'answer',
  status,
  ...(body !== undefined && { body }),
  ...(headers !== undefined && { headers }),
})
export const custom = (label: string, run: (real: FetchLike, input: string, init: RequestInit) => Promise<Response>): Behaviour => ({
  kind: 'custom',
  label,
  run,
})

/** One call as the wrapper saw it. */
export interface Seen {
  /** 1-based, over every call of this wrapper. */
  n: number
  /** Whether `when` selected it (and the plan applied). */
  selected: boolean
  behaviour: Behaviour['kind'] | string
  /** Date.now() when the call was made. */
  at: number
  method: string
  url: string
  /** Path and query, without the origin. */
  path: string
  headers: Record<string, string>
  body: string | undefined
  /** What came back from the server (or was made up), when anything did. */
  status?: number
  responseHeaders?: Headers
  responseText?: string
  /** What the call rejected with, when it did. */
  error?: unknown
}

export interface Faulty {
  fetch: FetchLike
  /** Every call, in order. */
  calls: Seen[]
  /** The calls `when` selected. */
  selected(): Seen[]
  /** Resolves at the next call that starts to stall. */
  stalled(): Promise<Seen>
}

export interface FaultOptions {
  /** Which calls the plan is for (default: every call). */
  when?: (call: { method: string; path: string }) => boolean
  plan?: Behaviour[]
  /** The fetch underneath (default: the global fetch, looked up at each call). */
  real?: FetchLike
}

/** `method path` selector, e.g. `on('POST', '/v1/workflows')`; a path ending in `*` is a prefix. */
export function on(method: string, path: string): (call: { method: string; path: string }) => boolean {
  return (call) =>
    call.method === method && (path.endsWith('*') ? call.path.startsWith(path.slice(0, -1)) : call.path.split('?')[0] === path)
}

export function faulty(options: FaultOptions = {}): Faulty {
  const real: FetchLike = options.real ?? ((input, init) => globalThis.fetch(input, init))
  const plan = [...(options.plan ?? [])]
  const calls: Seen[] = []
  const stallWaiters: ((seen: Seen) => void)[] = []

  const fetch: FetchLike = async (input, init) => {
    const method = (init.method ?? 'GET').toUpperCase()
    const url = new URL(input)
    const path = `${url.pathname}${url.search}`
    const selected = options.when ? options.when({ method, path }) : true
    const behaviour: Behaviour = selected ? (plan.shift() ?? pass) : pass
    const seen: Seen = {
      n: calls.length + 1,
      selected,
      behaviour: behaviour.kind === 'custom' ? behaviour.label : behaviour.kind,
      at: Date.now(),
      method,
      url: input,
      path,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: typeof init.body === 'string' ? init.body : undefined,
    }
    calls.push(seen)
    try {
      const response = await perform(behaviour, real, input, init, seen, stallWaiters)
      // Read here so the call records what the client received; the client gets an identical copy.
      const text = await response.text()
      seen.status = response.status
      seen.responseHeaders = response.headers
      seen.responseText = text
      if (behaviour.kind === 'lose') throw new TypeError('fetch failed')
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers })
    } catch (error) {
      seen.error = error
      throw error
    }
  }

  return {
    fetch,
    calls,
    selected: () => calls.filter((c) => c.selected),
    stalled: () => new Promise((resolve) => stallWaiters.push(resolve)),
  }
}

function perform(
  behaviour: Behaviour,
  real: FetchLike,
  input: string,
  init: RequestInit,
  seen: Seen,
  stallWaiters: ((seen: Seen) => void)[],
): Promise<Response> {
  switch (behaviour.kind) {
    case 'pass':
    case 'lose':
      return real(input, init)
    case 'answer':
      return Promise.resolve(
        new Response(behaviour.body === undefined ? null : JSON.stringify(behaviour.body), {
          status: behaviour.status,
          headers: { 'content-type': 'application/json', ...behaviour.headers },
        }),
      )
    case 'stall':
      return new Promise((_resolve, reject) => {
        const signal = init.signal
        const abort = () => reject(signal?.reason ?? new DOMException('This operation was aborted', 'AbortError'))
        if (signal?.aborted) return abort()
        signal?.addEventListener('abort', abort, { once: true })
        for (const wake of stallWaiters.splice(0)) wake(seen)
      })
    case 'custom':
      return behaviour.run(real, input, init)
  }
}
