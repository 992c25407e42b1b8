import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type CreateWorkflowRequest, EXAMPLE_CREATE_WORKFLOW } from '@wf/core'
import fc from 'fast-check'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { toRequest } from './draft.js'
import { shellQuote, snippets } from './snippets.js'
import { draftOf } from './testing/arbitraries.js'

const RUNS = { numRuns: 150 }
const KEY = 'wf_live_for_this_test_only'
const body: CreateWorkflowRequest = EXAMPLE_CREATE_WORKFLOW as unknown as CreateWorkflowRequest

/** Runs a POSIX shell script; returns what it printed. */
function sh(script: string, env: Record<string, string> = {}): string {
  const r = spawnSync('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`sh failed (${r.status}): ${r.stderr}`)
  return r.stdout
}

/** The words a shell hands to curl for this command: curl replaced by a function printing each, NUL-terminated. */
function curlArgs(command: string): string[] {
  const out = sh(`curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}`, { WF_API_KEY: KEY })
  return out.split('\0').slice(0, -1)
}

/** Text a shell can carry: anything but NUL. */
const text = fc.string({ unit: 'binary', maxLength: 60 }).map((s) => s.replace(/\0/g, ''))
const anyBody: fc.Arbitrary<CreateWorkflowRequest> = fc.oneof(
  draftOf({ valid: false }).map(toRequest),
  fc.record({ name: text, steps: fc.constant([]) }) as fc.Arbitrary<CreateWorkflowRequest>,
  fc.jsonValue() as fc.Arbitrary<unknown> as fc.Arbitrary<CreateWorkflowRequest>,
)

describe('snippets', () => {
  it('json is the body, pretty', () => {
    const s = snippets({ origin: 'http://127.0.0.1:3000', body })
    expect(s.json).toBe(JSON.stringify(body, null, 2))
    expect(JSON.parse(s.json)).toEqual(body)
  })

  it('create: POST with an Idempotency-Key and the key from $WF_API_KEY', () => {
    const s = snippets({ origin: 'http://127.0.0.1:3000/', body, idempotencyKey: 'k-1' })
    expect(s.curl).toContain('$WF_API_KEY')
    expect(s.curl).not.toMatch(/wf_(live|sandbox)_/)
    expect(curlArgs(s.curl)).toEqual([
      '-sS',
      '-X',
      'POST',
      'http://127.0.0.1:3000/v1/workflows',
      '-H',
      `x-api-key: ${KEY}`,
      '-H',
      'Content-Type: application/json',
      '-H',
      'Idempotency-Key: k-1',
      '--data-binary',
      s.json,
    ])
    expect(s.client).toContain('await wf.workflows.create(body)')
    expect(s.client).toContain('process.env.WF_API_KEY')
  })

  it('create without a key given: a random one, different each time', () => {
    const key = (c: string) => curlArgs(c).find((a) => a.startsWith('Idempotency-Key: '))
    const a = key(snippets({ origin: 'http://x', body }).curl)
    const b = key(snippets({ origin: 'http://x', body }).curl)
    expect(a).toMatch(/^Idempotency-Key: [0-9a-f]{32}$/)
    expect(a).not.toBe(b)
  })

  it('update: PATCH the workflow with If-Match', () => {
    const s = snippets({ origin: 'https://wf.example.com', body, workflowId: 'wf_123', ifVersion: 3 })
    expect(curlArgs(s.curl)).toEqual([
      '-sS',
      '-X',
      'PATCH',
      'https://wf.example.com/v1/workflows/wf_123',
      '-H',
      `x-api-key: ${KEY}`,
      '-H',
      'Content-Type: application/json',
      '-H',
      'If-Match: "3"',
      '--data-binary',
      s.json,
    ])
    expect(s.client).toContain(`await wf.workflows.update("wf_123", body, { ifVersion: 3 })`)
    expect(curlArgs(snippets({ origin: 'https://wf.example.com', body, workflowId: 'wf_123' }).curl)).not.toContain('If-Match: "3"')
  })

  it('shellQuote: a POSIX shell reads the quoted word back as the exact text', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(sh(`printf %s ${shellQuote(t)}`)).toBe(t)
      }),
      RUNS,
    )
  })

  it('curl: for any body, origin and workflow id, the shell passes curl the exact URL and JSON', () => {
    fc.assert(
      fc.property(anyBody, text, fc.option(text, { nil: undefined }), (b, origin, workflowId) => {
        const s = snippets({ origin, body: b, ...(workflowId !== undefined && { workflowId, ifVersion: 1 }) })
        const args = curlArgs(s.curl)
        const path = workflowId === undefined ? '/v1/workflows' : `/v1/workflows/${encodeURIComponent(workflowId)}`
        expect(args[3]).toBe(origin.replace(/\/+$/, '') + path)
        expect(args.at(-1)).toBe(s.json)
        expect(JSON.parse(args.at(-1)!)).toEqual(JSON.parse(JSON.stringify(b)))
      }),
      RUNS,
    )
  })

  it('client: the TypeScript typechecks against @wf/client (create and update)', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url))
    const sources = new Map([
      [`${dir}__create_snippet__.ts`, snippets({ origin: "https://o'neil.example", body }).client],
      [`${dir}__update_snippet__.ts`, snippets({ origin: 'http://127.0.0.1:3000', body, workflowId: 'wf_"1"', ifVersion: 2 }).client],
    ])
    const options: ts.CompilerOptions = {
      strict: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
    }
    const host = ts.createCompilerHost(options)
    const { getSourceFile, fileExists, readFile } = host
    host.getSourceFile = (name, version, ...rest) => {
      const code = sources.get(name)
      return code === undefined ? getSourceFile.call(host, name, version, ...rest) : ts.createSourceFile(name, code, version)
    }
    host.fileExists = (name) => sources.has(name) || fileExists.call(host, name)
    host.readFile = (name) => sources.get(name) ?? readFile.call(host, name)
    const program = ts.createProgram([...sources.keys()], options, host)
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    expect(problems).toEqual([])
  })
})
