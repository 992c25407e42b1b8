/**
 * What is compared of an answer, and how ids and times are made comparable. Ids (wf_…, org_…,
 * key_…, cursors, secrets) become placeholders named by their first appearance PER APP over the
 * whole run (the case, and the rank among the new ids of its answer), so references still compare:
 * the workflow case 17 created is `<wf@c17.1>` in both apps' answers wherever it appears. Request
 * ids are numbered within one answer (the body's request_id and the x-request-id header are the
 * same id or not), and an id the client sent and the app echoed is `<echo>`. Timestamps are
 * `<time>`.
 *
 * Compared: status, content type, the body (JSON after normalising, with object keys sorted; text
 * otherwise), and these headers: etag, location, allow, ratelimit-limit and idempotent-replayed
 * (values), retry-after, ratelimit-remaining and ratelimit-reset (presence), x-request-id
 * (presence, echoed or not), and any header not listed in IGNORED (value). `Connection` is not
 * compared: it is hop-by-hop (RFC 9110 §7.6.1), each runtime manages its own connections (Node
 * closes after a 413 it did not read, or after its own parser's 431; workerd decides for itself).
 */
import type { Answer } from './send.js'

/** Headers that differ between runtimes and say nothing about the API. */
const IGNORED = /^(date|server|cf-.*|content-length|keep-alive|vary|content-encoding|transfer-encoding|connection|alt-svc|report-to|nel)$/
const VALUE = ['etag', 'allow', 'ratelimit-limit', 'idempotent-replayed']
const PRESENCE = ['retry-after', 'ratelimit-remaining', 'ratelimit-reset']

const PATTERNS: Array<[RegExp, string]> = [
  [/\bwf_(live|sandbox)_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, 'secret'],
  [/\bwf_[0-9A-HJKMNP-TV-Z]{26}\b/g, 'wf'],
  [/\borg_[0-9A-HJKMNP-TV-Z]{26}\b/g, 'org'],
  [/\bkey_[0-9A-HJKMNP-TV-Z]{26}\b/g, 'key'],
]
const REQUEST_ID = /\breq_[0-9A-HJKMNP-TV-Z]{26}\b/g
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g
const KEY_PREFIX = /^wf_(live|sandbox)_[A-Za-z0-9_-]{1,8}$/

/**
 * The placeholders of one app. An id is named after where it first appeared: the case (`context`,
 * set by the runner before each answer) and its rank among the new ids of that answer, e.g.
 * `<wf@c17.1>`. So one divergent create does not renumber every later id: the records both apps
 * created in the same case keep the same names.
 */
export class Ids {
  private readonly names = new Map<string, string>()
  private readonly counts = new Map<string, number>()
  /** Where the ids met now first appear. Empty: numbered `#n` by first appearance (request ids, within one answer). */
  context = ''

  of(kind: string, raw: string): string {
    let name = this.names.get(raw)
    if (name === undefined) {
      const where = `${kind}@${this.context}`
      const n = (this.counts.get(where) ?? 0) + 1
      this.counts.set(where, n)
      name = this.context === '' ? `<${kind}#${n}>` : `<${kind}@${this.context}.${n}>`
      this.names.set(raw, name)
    }
    return name
  }
}

/** One answer's scope: request ids numbered within it, the client's own x-request-id. */
interface Scope {
  ids: Ids
  requestIds: Ids
  sentRequestId?: string | undefined
}

function text(s: string, scope: Scope): string {
  if (scope.sentRequestId !== undefined && scope.sentRequestId !== '' && s === scope.sentRequestId) return '<echo>'
  let out = s
  for (const [re, kind] of PATTERNS) {
    out = out.replace(re, (raw, mode?: string) => (kind === 'secret' ? scope.ids.of(`secret:${mode}`, raw) : scope.ids.of(kind, raw)))
  }
  return out.replace(REQUEST_ID, (raw) => scope.requestIds.of('req', raw)).replace(ISO_TIME, '<time>')
}

function base64urlDecode(s: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return undefined
  try {
    return Buffer.from(s, 'base64url').toString('latin1')
  } catch {
    return undefined
  }
}

function json(value: unknown, scope: Scope, key?: string): unknown {
  if (typeof value === 'string') {
    if (key === 'prefix' && KEY_PREFIX.test(value)) return `<prefix:${KEY_PREFIX.exec(value)![1]}>`
    if (key === 'next_cursor') {
      // A cursor that decodes to a workflow id is named after it; any other by first appearance.
      const decoded = base64urlDecode(value)
      if (decoded !== undefined && /^wf_[0-9A-HJKMNP-TV-Z]{26}$/.test(decoded)) return `<cursor:${text(decoded, scope)}>`
      return scope.ids.of('cursor', value)
    }
    return text(value, scope)
  }
  if (Array.isArray(value)) return value.map((v) => json(v, scope))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort()) out[k] = json((value as Record<string, unknown>)[k], scope, k)
    return out
  }
  return value
}

/** What is compared of one answer. */
export interface View {
  status: number | string
  headers: Record<string, string>
  body: unknown
}

function one(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined
  return Array.isArray(value) ? value.join(', ') : value
}

/** The JSON of a body if it is JSON, else undefined. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}

/**
 * The comparable view of an answer. `sentRequestId` is the x-request-id the request carried, if
 * any (an echo of it is `<echo>`).
 */
export function view(answer: Answer, ids: Ids, sentRequestId?: string): View {
  const scope: Scope = { ids, requestIds: new Ids(), sentRequestId }
  if (answer.status === 0) return { status: `no answer (${answer.error ?? 'closed'})`, headers: {}, body: undefined }
  const h = answer.headers
  const headers: Record<string, string> = {}
  const type = one(h['content-type'])
  if (type !== undefined) headers['content-type'] = type.toLowerCase().replace(/\s+/g, '')
  for (const name of VALUE) {
    const v = one(h[name])
    if (v !== undefined) headers[name] = v
  }
  for (const name of PRESENCE) if (h[name] !== undefined) headers[name] = '<present>'
  const location = one(h.location)
  if (location !== undefined) headers.location = text(location, scope)
  const requestId = one(h['x-request-id'])
  if (requestId !== undefined) headers['x-request-id'] = text(requestId, scope)
  for (const [name, value] of Object.entries(h)) {
    if (IGNORED.test(name) || name in headers || name === 'location' || name === 'x-request-id') continue
    headers[name] = text(one(value) ?? '', scope)
  }
  const parsed = parseJson(answer.body)
  const body =
    parsed !== undefined ? json(parsed, scope) : answer.body.length === 0 ? '' : { text: text(answer.body.toString('utf8'), scope) }
  const v: View = { status: answer.status, headers, body }
  if (answer.error !== undefined) v.status = `${answer.status} (then ${answer.error})`
  return v
}

/** Stable text of a view (keys sorted), for equality. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  )
}

/** The fields where two views differ: `status`, `header <name>`, `body`. */
export function differences(a: View, b: View): string[] {
  const out: string[] = []
  if (a.status !== b.status) out.push('status')
  const names = new Set([...Object.keys(a.headers), ...Object.keys(b.headers)])
  for (const name of [...names].sort()) if (a.headers[name] !== b.headers[name]) out.push(`header ${name}`)
  if (canonical(a.body) !== canonical(b.body)) out.push('body')
  return out
}
