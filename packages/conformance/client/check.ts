/**
 * The scenarios' assertions: a few functions that throw an Error saying what was expected and what
 * came instead. No test framework and no Node module, so the scenarios bundle into a Worker.
 */

export class CheckFailed extends Error {
  override name = 'CheckFailed'
}

/** JSON-ish rendering for failure messages: stable, short, showing undefined and errors too. */
export function show(value: unknown, max = 1500): string {
  let text: string
  if (value instanceof Error) {
    const extra = Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'headers'))
    text = `${value.name}: ${value.message} ${safeJson(extra)}`
  } else if (value === undefined) {
    text = 'undefined'
  } else {
    text = safeJson(value)
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (v === undefined ? '<undefined>' : v)) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Deep equality of JSON-like values (plain objects, arrays, primitives); key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined)
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined)
  if (ka.length !== kb.length) return false
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

/** Where two values first differ (a JSON Pointer), for the failure message; '' for the whole value. */
function firstDifference(a: unknown, b: unknown, at = ''): string {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return at
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const k of keys) {
    const x = (a as Record<string, unknown>)[k]
    const y = (b as Record<string, unknown>)[k]
    if (!deepEqual(x, y)) return firstDifference(x, y, `${at}/${k}`)
  }
  return at
}

// biome-ignore lint/suspicious/noExplicitAny: error classes with any constructor signature
type ErrorClass<E> = abstract new (...args: any[]) => E

export interface Check {
  /** `actual` deep-equals `expected` (JSON values; key order ignored). */
  equal(actual: unknown, expected: unknown, what: string): void
  /** `actual` has exactly these keys, in this order. */
  keys(actual: unknown, expected: readonly string[], what: string): void
  ok(condition: unknown, what: string, detail?: unknown): asserts condition
  match(actual: unknown, pattern: RegExp, what: string): void
  /** `promise` rejects with an instance of `Class` (exactly that class when `exact`); the error. */
  rejects<E>(promise: Promise<unknown>, Class: ErrorClass<E>, what: string, options?: { exact?: boolean }): Promise<E>
  fail(what: string, detail?: unknown): never
}

export const check: Check = {
  equal(actual, expected, what) {
    if (!deepEqual(actual, expected)) {
      const at = firstDifference(actual, expected)
      throw new CheckFailed(
        `${what}: expected ${show(expected)}\n  but got ${show(actual)}${at ? `\n  (first difference at ${at}: expected ${show(pointer(expected, at))}, got ${show(pointer(actual, at))})` : ''}`,
      )
    }
  },
  keys(actual, expected, what) {
    const got = typeof actual === 'object' && actual !== null ? Object.keys(actual) : []
    if (got.join(',') !== expected.join(','))
      throw new CheckFailed(`${what}: expected the keys [${expected.join(', ')}]\n  but got [${got.join(', ')}] in ${show(actual)}`)
  },
  ok(condition, what, detail) {
    if (!condition) throw new CheckFailed(`${what}${detail === undefined ? '' : `\n  got ${show(detail)}`}`)
  },
  match(actual, pattern, what) {
    if (typeof actual !== 'string' || !pattern.test(actual))
      throw new CheckFailed(`${what}: expected to match ${pattern}\n  but got ${show(actual)}`)
  },
  async rejects(promise, Class, what, options = {}) {
    let value: unknown
    try {
      value = await promise
    } catch (error) {
      const right = options.exact ? (error as object | null)?.constructor === Class : error instanceof Class
      if (!right) {
        throw new CheckFailed(
          `${what}: expected a rejection with ${options.exact ? 'exactly ' : ''}${Class.name}\n  but it rejected with ${show(error)}${error instanceof Error && error.stack ? `\n  ${error.stack}` : ''}`,
        )
      }
      return error as never
    }
    throw new CheckFailed(`${what}: expected a rejection with ${Class.name}\n  but it resolved with ${show(value)}`)
  },
  fail(what, detail) {
    throw new CheckFailed(`${what}${detail === undefined ? '' : `\n  got ${show(detail)}`}`)
  },
}

function pointer(value: unknown, at: string): unknown {
  let v = value
  for (const part of at.split('/').slice(1)) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined
  return v
}
