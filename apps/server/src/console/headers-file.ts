/**
 * The console's header rules, read from its `_headers` file (apps/console/public/_headers, copied
 * into the build) with the semantics of Workers Static Assets, which serve the same file on the
 * edge app: so both apps send the same headers for the same URL from one source. What follows
 * Cloudflare's parser and rules engine (workers-shared, as bundled in wrangler 4.86 / miniflare):
 *
 * - a line that starts with `/` opens a rule for that path; `*` matches anything (slashes too),
 *   `:name` one segment; indented `Name: value` lines set a header, `! Name` detaches one;
 *   `#` starts a comment; a path given twice keeps the later rule's headers at the first's place;
 * - every rule whose path matches the request's path (not the file served) applies, in file order:
 *   a rule first detaches, then sets; a header a previous rule set is appended to (`, `), any other
 *   is replaced (the defaults: Content-Type, ETag, Cache-Control);
 * - a value may use what `*` (`:splat`) or `:name` matched.
 *
 * Lines Cloudflare would skip are skipped here too and reported in `invalid`. Absolute-URL rules
 * (`https://host/path`) are not supported (nothing here needs them): they are reported as invalid.
 */

export interface HeaderRule {
  path: string
  set: Record<string, string>
  unset: string[]
}

export interface ParsedHeaders {
  rules: HeaderRule[]
  invalid: { lineNumber: number; line: string; message: string }[]
}

const MAX_RULES = 100
const MAX_LINE_LENGTH = 2000
const LOOKS_LIKE_A_PATH = /^([^\s]+:\/\/|\/)/

export function parseHeadersFile(text: string): ParsedHeaders {
  const byPath = new Map<string, HeaderRule>()
  const invalid: ParsedHeaders['invalid'] = []
  let rule: (HeaderRule & { lineNumber: number; line: string }) | undefined
  const close = () => {
    if (rule === undefined) return
    const { path, set, unset, lineNumber, line } = rule
    if (Object.keys(set).length > 0 || unset.length > 0) byPath.set(path, { path, set, unset })
    else invalid.push({ lineNumber, line, message: 'No headers specified' })
    rule = undefined
  }
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim()
    const lineNumber = i + 1
    if (line === '' || line.startsWith('#')) continue
    if (line.length > MAX_LINE_LENGTH) {
      invalid.push({ lineNumber, line: line.slice(0, 80), message: `longer than ${MAX_LINE_LENGTH} characters` })
      continue
    }
    if (LOOKS_LIKE_A_PATH.test(line)) {
      close()
      if (byPath.size >= MAX_RULES) {
        invalid.push({ lineNumber, line, message: `more than ${MAX_RULES} rules: the rest of the file is skipped` })
        break
      }
      if (!line.startsWith('/')) {
        invalid.push({ lineNumber, line, message: 'only paths (starting with /) are supported, not absolute URLs' })
        continue
      }
      rule = { path: line, set: {}, unset: [], lineNumber, line }
      continue
    }
    if (!line.includes(':')) {
      if (rule !== undefined && line.startsWith('! ')) rule.unset.push(line.slice(2).trim())
      else
        invalid.push({ lineNumber, line, message: rule ? 'Expected a colon-separated header pair (e.g. name: value)' : 'Expected a path' })
      continue
    }
    const [rawName = '', ...rest] = line.split(':')
    const name = rawName.trim().toLowerCase()
    const value = rest.join(':').trim()
    const problem =
      name === ''
        ? 'No header name specified'
        : name.includes(' ')
          ? 'Header name cannot include spaces'
          : value === ''
            ? 'No header value specified'
            : rule === undefined
              ? 'Path should come before header'
              : undefined
    if (problem !== undefined || rule === undefined) {
      invalid.push({ lineNumber, line, message: problem ?? 'Path should come before header' })
      continue
    }
    rule.set[name] = rule.set[name] === undefined ? value : `${rule.set[name]}, ${value}`
  }
  close()
  return { rules: [...byPath.values()], invalid }
}

const escapeRegex = (s: string) => s.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')

/** A rule's path as Cloudflare compiles it; undefined where Cloudflare's compile throws (two `*`). */
function compile(path: string): RegExp | undefined {
  let source = path.split('*').map(escapeRegex).join('(?<splat>.*)')
  for (const [placeholder, name] of source.matchAll(/:([A-Za-z]\w*)/g)) source = source.split(placeholder).join(`(?<${name}>[^/]+)`)
  try {
    return new RegExp(`^${source}$`)
  } catch {
    return undefined // Cloudflare skips such a rule too
  }
}

export type HeaderRules = (pathname: string, headers: Headers) => void

/** The function that applies the rules to a response's headers for a request path (raw, as sent). */
export function headerRules(rules: HeaderRule[]): HeaderRules {
  const compiled = rules.flatMap((rule) => {
    const re = compile(rule.path)
    return re === undefined ? [] : [{ re, rule }]
  })
  return (pathname, headers) => {
    const setHere = new Set<string>()
    for (const { re, rule } of compiled) {
      const match = re.exec(pathname)
      if (match === null) continue
      for (const name of rule.unset) headers.delete(name)
      for (const [name, template] of Object.entries(rule.set)) {
        let value = template
        for (const [group, matched] of Object.entries(match.groups ?? {})) value = value.replaceAll(`:${group}`, matched ?? '')
        if (setHere.has(name)) headers.append(name, value)
        else {
          headers.set(name, value)
          setHere.add(name)
        }
      }
    }
  }
}
