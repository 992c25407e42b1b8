// Bookkeeping of the reliability suite: the quick mode and its bounds, checks, figures, and small
// helpers for comparing values and shortening text in check details.

/** WF_REL_QUICK=1: every part with small bounds (the CI mode, < 60 s). */
export const QUICK = process.env.WF_REL_QUICK === '1'
/** A bound: the full value, or the quick one in quick mode. */
export const bound = (full, quick) => (QUICK ? quick : full)

// ---------------------------------------------------------------------------------------------
// Checks and figures
// ---------------------------------------------------------------------------------------------

export const results = [] // { part, name, ok, detail }
export const figures = {} // name -> number

export function check(part, name, ok, detail = '') {
  results.push({ part, name, ok: Boolean(ok), detail: String(detail) })
  const mark = ok ? 'ok  ' : 'FAIL'
  process.stdout.write(`  [${mark}] ${part}: ${name}${detail ? ` — ${detail}` : ''}\n`)
  return Boolean(ok)
}

export function addFigure(name, n) {
  figures[name] = (figures[name] ?? 0) + n
}

/** Deterministic deep equality of JSON values (key order ignored). */
export function jsonEqual(a, b) {
  return canonical(a) === canonical(b)
}
export function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(v)
}

export function tail(s, n = 1500) {
  return s.length > n ? `…${s.slice(-n)}` : s
}
