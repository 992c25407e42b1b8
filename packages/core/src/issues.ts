/** Validation problems: a JSON Pointer into the input and a sentence naming what is allowed. */

export interface Issue {
  /** JSON Pointer (RFC 6901) into the input; "" is the input as a whole. */
  path: string
  message: string
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: Issue[] }

/**
 * At most this many problems are reported for one input: enough to fix a request in one go, and a
 * bound on the work and the response size an attacker can cause.
 */
export const MAX_ISSUES = 20

/** Collects issues up to MAX_ISSUES. */
export class IssueList {
  readonly items: Issue[] = []

  add(path: string, message: string): void {
    if (this.items.length < MAX_ISSUES) this.items.push({ path, message })
  }

  get full(): boolean {
    return this.items.length >= MAX_ISSUES
  }

  get empty(): boolean {
    return this.items.length === 0
  }

  result<T>(value: T): ParseResult<T> {
    return this.items.length === 0 ? { ok: true, value } : { ok: false, issues: this.items }
  }
}

/** Escapes one reference token of a JSON Pointer (RFC 6901 §3). */
export function pointerToken(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
