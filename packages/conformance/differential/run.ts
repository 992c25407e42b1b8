/**
 * The pair runner: one request to Node, the same to the edge, compare, next. Both apps see the
 * same sequence in the same order, so their state evolves identically; each app's ids are saved
 * from its own answers (`save`) and substituted into later requests (`{wf}`), and normalised by
 * where they first appeared.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { canonical, differences, Ids, parseJson, type View, view } from './normalise.js'
import { edgeProblems, nodeProblems, type PlatformCase } from './platform.js'
import { type Answer, App, type Case, type Resolved, sendRaw } from './send.js'

export interface Outcome {
  label: string
  case: Case
  node: View
  edge: View
  /** Where the two normalised answers differ (empty: they agree). */
  differs: string[]
  /** Where an app's answer is not the case's `expect` (the contract's answer). */
  misses: string[]
  /** The request and both answers side by side, for a failure message. */
  report: () => string
}

export interface Figures {
  file: string
  cases: number
  requests: number
  divergences: number
  contractMisses: number
  platform: number
  seed?: number
}

/** The JSON Pointer (RFC 6901) `pointer` in `value`, or undefined. */
function at(value: unknown, pointer: string): unknown {
  if (pointer === '') return value
  let v = value
  for (const raw of pointer.slice(1).split('/')) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[k]
  }
  return v
}

function printable(b: Buffer, max: number): string {
  const head = b.subarray(0, max)
  let s = ''
  for (const byte of head)
    s +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : byte === 0x5c
          ? '\\\\'
          : `\\x${byte.toString(16).padStart(2, '0')}`
  return b.length > max ? `${s}… (${b.length} bytes)` : `${s} (${b.length} bytes)`
}

/** The request as the case gives it (placeholders unresolved), for a report. */
export function describeCase(c: Case, resolved?: { node: Resolved; edge: Resolved }): string {
  const lines = [`${c.method} ${c.path.length > 200 ? `${c.path.slice(0, 200)}… (${c.path.length} characters)` : c.path}`]
  if (resolved && resolved.node.path !== c.path)
    lines.push(`  (node: ${resolved.node.path.slice(0, 160)}; edge: ${resolved.edge.path.slice(0, 160)})`)
  const headers = Object.entries(c.headers ?? {})
  for (const [name, value] of headers.slice(0, 20)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      const shown = v.length > 120 ? `${JSON.stringify(v.slice(0, 120))}… (${v.length} characters)` : JSON.stringify(v)
      lines.push(`  ${name}: ${shown}`)
    }
  }
  if (headers.length > 20) lines.push(`  … and ${headers.length - 20} more headers`)
  if (c.framing && c.framing !== 'length') lines.push(`  [framing: ${c.framing}]`)
  if (c.body !== undefined) {
    const b = Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body, 'utf8')
    lines.push(`  body: ${printable(b, 300)}`)
  }
  return lines.join('\n')
}

/** The lines of two texts paired up: equal lines side by side (longest common subsequence), changed runs zipped. */
function align(a: string[], b: string[]): Array<[string | undefined, string | undefined]> {
  const n = a.length
  const m = b.length
  if (n * m > 4_000_000) return Array.from({ length: Math.max(n, m) }, (_, i) => [a[i], b[i]])
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  }
  const rows: Array<[string | undefined, string | undefined]> = []
  let left: string[] = []
  let right: string[] = []
  const flush = () => {
    for (let k = 0; k < Math.max(left.length, right.length); k++) rows.push([left[k], right[k]])
    left = []
    right = []
  }
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush()
      rows.push([a[i++], b[j++]])
    } else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) left.push(a[i++]!)
    else right.push(b[j++]!)
  }
  flush()
  return rows
}

/** Two texts in two columns, aligned; rows that differ marked with ≠ (or < and > where one side has no line). */
export function sideBySide(left: string, right: string, leftTitle: string, rightTitle: string, width = 62): string {
  const wrap = (line: string | undefined) => {
    if (line === undefined) return ['']
    const parts: string[] = []
    for (let i = 0; i < line.length || i === 0; i += width) parts.push(line.slice(i, i + width))
    return parts
  }
  const out = [`  ${leftTitle.padEnd(width)}   ${rightTitle}`]
  for (const [a, b] of align(left.split('\n'), right.split('\n'))) {
    const mark = a === b ? '|' : a === undefined ? '>' : b === undefined ? '<' : '≠'
    const l = wrap(a)
    const r = wrap(b)
    for (let k = 0; k < Math.max(l.length, r.length); k++) out.push(`  ${(l[k] ?? '').padEnd(width)} ${mark} ${r[k] ?? ''}`)
  }
  return out.join('\n')
}

const pretty = (v: View) => JSON.stringify(JSON.parse(canonical(v)), null, 2)

/** The first place (a JSON Pointer) where two JSON values differ, with both values there. */
export function firstDifference(a: unknown, b: unknown, path = ''): [string, unknown, unknown] | undefined {
  if (canonical(a) === canonical(b)) return undefined
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object'
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a)
      ? [...Array(Math.max(a.length as number, b.length as number)).keys()].map(String)
      : [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    for (const k of keys) {
      const d = firstDifference(a[k], b[k], `${path}/${k}`)
      if (d) return d
    }
  }
  return [path, a, b]
}

const short = (v: unknown) => {
  const t = v === undefined ? '(absent)' : JSON.stringify(v)
  return t.length > 70 ? `${t.slice(0, 70)}…` : t
}

/** One line per differing field: where, Node's value, the edge's value. */
function differingFields(node: View, edge: View, differs: string[]): string {
  return differs
    .map((field) => {
      if (field === 'status') return `  status: node ${short(node.status)}, edge ${short(edge.status)}`
      if (field.startsWith('header ')) {
        const name = field.slice(7)
        return `  ${field}: node ${short(node.headers[name])}, edge ${short(edge.headers[name])}`
      }
      const [where, a, b] = firstDifference(node.body, edge.body) ?? ['', node.body, edge.body]
      return `  body at "${where}": node ${short(a)}, edge ${short(b)}`
    })
    .join('\n')
}

export class Pair {
  readonly node: App
  readonly edge: App
  private readonly nodeIds = new Ids()
  private readonly edgeIds = new Ids()
  readonly figures: Figures
  readonly divergent: Outcome[] = []

  constructor(nodeUrl: string, edgeUrl: string, file: string) {
    this.node = new App('node', nodeUrl)
    this.edge = new App('edge', edgeUrl)
    this.figures = { file, cases: 0, requests: 0, divergences: 0, contractMisses: 0, platform: 0 }
    for (const app of [this.node, this.edge]) app.vars.set('host', `${app.host}:${app.port}`)
  }

  /**
   * A request the local runtime answers itself: sent to both, not compared; the edge's answer is
   * checked against the runtime's listed one, Node's against the contract. Problems, or [].
   */
  async platform(pc: PlatformCase): Promise<{ problems: string[]; report: () => string }> {
    const send = async (app: App): Promise<Answer> => {
      if ('case' in pc.request) return app.send(app.resolve(pc.request.case))
      app.sent++
      return sendRaw(app.url, Buffer.from(app.fill(pc.request.raw), 'latin1'))
    }
    const nodeAnswer = await send(this.node)
    const edgeAnswer = await send(this.edge)
    this.figures.platform++
    this.figures.requests = this.node.sent + this.edge.sent
    const problems = [
      ...nodeProblems(nodeAnswer, pc.node).map((p) => `node: ${p}`),
      ...edgeProblems(edgeAnswer, pc.edge).map((p) => `edge: ${p}`),
    ]
    const shown = (a: Answer) =>
      a.status === 0
        ? `no answer (${a.error ?? 'closed'})`
        : `${a.status} ${JSON.stringify(a.headers)}\n${a.body.toString('utf8').slice(0, 300)}`
    const request =
      'case' in pc.request
        ? describeCase(pc.request.case)
        : JSON.stringify(pc.request.raw.length > 300 ? `${pc.request.raw.slice(0, 300)}…` : pc.request.raw)
    return {
      problems,
      report: () =>
        [
          `platform: ${pc.name} (${pc.why})`,
          ...problems,
          'request:',
          `  ${request}`,
          'answers (raw):',
          sideBySide(shown(nodeAnswer), shown(edgeAnswer), 'node', 'edge'),
        ].join('\n'),
    }
  }

  /** Sends the case to Node, then to the edge; compares; saves each app's variables from its own answer. */
  async exchange(c: Case, label: string): Promise<Outcome> {
    const resolved = { node: this.node.resolve(c), edge: this.edge.resolve(c) }
    const nodeAnswer = await this.node.send(resolved.node)
    const edgeAnswer = await this.edge.send(resolved.edge)
    this.figures.cases++
    this.figures.requests = this.node.sent + this.edge.sent
    const sentId = (r: Resolved) => {
      const v = r.headers['x-request-id']
      return Array.isArray(v) ? undefined : v
    }
    this.nodeIds.context = label
    this.edgeIds.context = label
    const node = view(nodeAnswer, this.nodeIds, sentId(resolved.node))
    const edge = view(edgeAnswer, this.edgeIds, sentId(resolved.edge))
    const differs = differences(node, edge)
    const misses: string[] = []
    if (c.expect) {
      for (const [name, answer] of [
        ['node', nodeAnswer],
        ['edge', edgeAnswer],
      ] as const) {
        const code = (parseJson(answer.body) as { code?: unknown } | undefined)?.code
        if (answer.status !== c.expect.status || (c.expect.code !== undefined && code !== c.expect.code)) {
          misses.push(
            `${name}: ${answer.status} ${String(code ?? '')}, the contract's answer is ${c.expect.status} ${c.expect.code ?? ''}`.trim(),
          )
        }
      }
    }
    this.save(c, this.node, nodeAnswer)
    this.save(c, this.edge, edgeAnswer)
    const outcome: Outcome = {
      label,
      case: c,
      node,
      edge,
      differs,
      misses,
      report: () =>
        [
          `${label} ${c.name ?? ''}`.trim(),
          differs.length > 0 ? `DIVERGENCE in ${differs.join(', ')}:\n${differingFields(node, edge, differs)}` : '',
          ...misses.map((m) => `CONTRACT: ${m}`),
          'request:',
          describeCase(c, resolved)
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n'),
          'answers (normalised):',
          sideBySide(pretty(node), pretty(edge), 'node', 'edge'),
        ]
          .filter((l) => l !== '')
          .join('\n'),
    }
    // WF_DIFFERENTIAL_LOG=<file>: one JSON line per request (label, case, both normalised answers), for a look at what passed.
    const log = process.env.WF_DIFFERENTIAL_LOG
    if (log)
      appendFileSync(
        log,
        `${JSON.stringify({ label, name: c.name, method: c.method, path: c.path.slice(0, 200), differs, misses, node, edge })}\n`,
      )
    if (differs.length > 0) {
      this.figures.divergences++
      this.divergent.push(outcome)
    }
    if (misses.length > 0) this.figures.contractMisses++
    return outcome
  }

  private save(c: Case, app: App, answer: Answer): void {
    for (const [name, pointer] of Object.entries(c.save ?? {})) {
      const value = at(parseJson(answer.body), pointer)
      // When the answer has no such value, the previous one stays (or a stand-in, so later cases still run).
      if (typeof value === 'string' || typeof value === 'number') app.vars.set(name, String(value))
      else if (!app.vars.has(name)) app.vars.set(name, `missing-${name}`)
    }
  }

  /** Sets a variable to the same value on both apps. */
  setBoth(name: string, value: string): void {
    this.node.vars.set(name, value)
    this.edge.vars.set(name, value)
  }

  close(): void {
    this.node.close()
    this.edge.close()
  }
}

/** Writes one file's figures where the global setup's teardown sums them. */
export function recordFigures(dir: string, figures: Figures): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `${figures.file}.json`), JSON.stringify(figures))
}

export function readFigures(dir: string): Figures[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Figures)
  } catch {
    return []
  }
}

export function formatFigures(f: Figures): string {
  return (
    `${f.file}: ${f.cases} cases, ${f.requests} requests, ${f.divergences} divergences` +
    (f.contractMisses > 0 ? `, ${f.contractMisses} answers not the contract's` : '') +
    (f.platform > 0 ? `, ${f.platform} platform cases` : '') +
    (f.seed !== undefined ? ` (seed ${f.seed})` : '')
  )
}
