/**
 * The signed-in key. Kept in sessionStorage only (this tab, until it closes): never in a URL, a
 * log or localStorage. A sandbox key reads but cannot write (contract §3), so the console knows
 * its mode from its prefix and disables every write control.
 */
import { type Client, createClient } from '@wf/client'

const STORAGE_KEY = 'wf.console.apiKey'

export interface Session {
  apiKey: string
  sandbox: boolean
  client: Client
}

/** Fired when the server answers 429: the client waits as Retry-After says, the page shows it. */
export const RATE_LIMITED_EVENT = 'wf:rate-limited'

/** window.fetch, telling the page when it is asked to wait. */
const observedFetch = async (input: string, init: RequestInit): Promise<Response> => {
  const response = await window.fetch(input, init)
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after') ?? '1')
    window.dispatchEvent(new CustomEvent(RATE_LIMITED_EVENT, { detail: Number.isFinite(seconds) ? seconds : 1 }))
  }
  return response
}

export function sessionFor(apiKey: string): Session {
  return {
    apiKey,
    sandbox: apiKey.startsWith('wf_sandbox_'),
    // Same origin as the console: the server that serves it serves the API.
    client: createClient({ baseUrl: window.location.origin, apiKey, maxRetries: 3, fetch: observedFetch }),
  }
}

export function restoreSession(): Session | undefined {
  const key = window.sessionStorage.getItem(STORAGE_KEY)
  return key ? sessionFor(key) : undefined
}

export function keepSession(session: Session): void {
  window.sessionStorage.setItem(STORAGE_KEY, session.apiKey)
}

export function forgetSession(): void {
  window.sessionStorage.removeItem(STORAGE_KEY)
}
