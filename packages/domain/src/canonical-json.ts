/**
 * JSON with object keys sorted, so that two bodies that are the same JSON value (key order and
 * white space aside) serialise the same: what "the same body" means for Idempotency-Key, and how
 * "no change" is told for a step's config.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>
    const keys = Object.keys(obj).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
  }
  return JSON.stringify(value)
}
