/** What to tell the person about a failed call, and whether trying again can help. */
import { RateLimitError, WfConnectionError, WfError, WfTimeoutError } from '@wf/client'

export interface Failure {
  message: string
  /** A network failure or a timeout: the edit is kept and the same call can be tried again. */
  retryable: boolean
  /** Seconds the server asked to wait (429). */
  retryAfter?: number | undefined
}

export function describeFailure(e: unknown): Failure {
  if (e instanceof RateLimitError) {
    return { message: `Too many requests: the server asks to wait ${e.retryAfter ?? 1} s.`, retryable: true, retryAfter: e.retryAfter }
  }
  if (e instanceof WfConnectionError) return { message: 'The server could not be reached. Your changes are kept.', retryable: true }
  if (e instanceof WfTimeoutError) return { message: 'The server did not answer in time. Your changes are kept.', retryable: true }
  if (e instanceof WfError) return { message: e.message, retryable: e.status >= 500 }
  return { message: e instanceof Error ? e.message : String(e), retryable: false }
}
