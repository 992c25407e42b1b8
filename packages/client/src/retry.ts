/**
 * When to try again and how long to wait first: exponential backoff with full jitter (base 0.5 s,
 * cap 8 s), and Retry-After honoured in seconds or as an HTTP date, capped at 60 s.
 */

export const BACKOFF_BASE_MS = 500
export const BACKOFF_CAP_MS = 8_000
export const RETRY_AFTER_CAP_S = 60

/** Statuses worth another attempt: the server did not do the work, or may do it if asked again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

/**
 * The wait before retry number `retry` (0 for the first): a uniform draw from 0 up to
 * min(cap, base·2^retry) ("full jitter"), so clients that failed together do not retry together.
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry))
}

/**
 * Retry-After in seconds (fractions kept), from delta-seconds or an HTTP date (RFC 9110 §10.2.3);
 * a date in the past is 0. Anything else is undefined: the backoff decides.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text)
  const at = Date.parse(text)
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined
  return Math.max(0, (at - now) / 1000)
}

/** The wait before retry number `retry`: what the server asked for (at most 60 s), else the backoff. */
export function retryDelayMs(retry: number, retryAfterSeconds: number | undefined, random?: () => number): number {
  if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds, RETRY_AFTER_CAP_S) * 1000
  return backoffMs(retry, random)
}
