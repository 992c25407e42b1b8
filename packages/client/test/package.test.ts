// @wf/client as another team gets it: packed (`pnpm pack`, from dist/) with @wf/core (its types)
// and typebox (core's peer), installed offline into a scratch project. The same probe then runs
// under Node, in a browser bundle (a realm with no require or process) and in workerd (Miniflare),
// on a scripted fetch; all three must give the same answer. tsc compiles a TypeScript consumer that
// leans on the types, publint and attw check the tarball, and the bundle stays within its budget.
// (The client against real servers, in Node and in a Worker: packages/conformance/client.)
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exec, fetchFromWorkerd, ok, runInBrowserRealm, scratchProject } from '../../../scripts/lib/scratch-project.mjs'
import { BUDGET_BYTES, measure } from '../scripts/size.mjs'

const PKG_DIR = join(import.meta.dirname, '..')
const CORE_DIR = join(PKG_DIR, '../core')
const require = createRequire(import.meta.url)

// A lost answer to a create, then its retry; then a 400. Only the package's entry point is imported.
const PROBE = `
import { createClient, ValidationError, WfError } from '@wf/client'

export async function probe() {
  const sent = []
  const answers = [
    () => Promise.reject(new TypeError('fetch failed')),
    () => Response.json({ workflow: { id: 'wf_1', name: 'KYC', version: 1 } }, { status: 201 }),
    () => Response.json({ error: 'Invalid request: /name must not be empty', code: 'invalid_request', details: [{ path: '/name', message: 'must not be empty' }], request_id: 'req_1' }, { status: 400 }),
  ]
  const fetch = async (url, init) => {
    sent.push({ url, method: init.method, key: new Headers(init.headers).get('idempotency-key') })
    return answers[sent.length - 1]()
  }
  const wf = createClient({ baseUrl: 'http://wf.test/', apiKey: 'wf_live_x', fetch })
  const created = await wf.workflows.create({ name: 'KYC', steps: [{ id: 'FACE_LIVENESS' }] })
  let error
  try {
    await wf.workflows.create({ name: '', steps: [] })
  } catch (e) {
    error = { validation: e instanceof ValidationError, wf: e instanceof WfError, name: e.name, code: e.code, details: e.details, requestId: e.requestId }
  }
  return {
    created,
    urls: sent.map((s) => s.method + ' ' + s.url),
    sameKey: sent[0].key === sent[1].key && /^[0-9a-f-]{36}$/.test(sent[0].key),
    error,
  }
}
`
const NODE_ENTRY = `
import { probe } from './probe.mjs'
process.stdout.write(JSON.stringify(await probe()))
`
const BROWSER_ENTRY = `
import { probe } from './probe.mjs'
probe().then((r) => { globalThis.__probe = JSON.stringify({ process: typeof process, result: r }) })
`
const WORKER_ENTRY = `
import { probe } from './probe.mjs'
export default { async fetch() { return Response.json({ userAgent: navigator.userAgent, result: await probe() }) } }
`
// A TypeScript consumer: the records and requests are core's types, step configs checked by step.
const CONSUMER_TS = `
import { createAdminClient, createClient, PreconditionFailedError, ValidationError, type Workflow } from '@wf/client'

const wf = createClient({ baseUrl: 'http://127.0.0.1:3000', apiKey: 'wf_live_x', maxRetries: 3, timeoutMs: 5000 })
export async function use(): Promise<string> {
  const w: Workflow = await wf.workflows.create({ name: 'KYC', steps: [{ id: 'ID_VERIFICATION', config: { minimum_age: 21 } }] })
  const org: string = w.organization_id
  const updated = await wf.workflows.updateStepConfig(w.id, 'FACE_LIVENESS', { confidence_threshold: 90 }, { ifVersion: w.version })
  // @ts-expect-error not a field of FACE_LIVENESS
  await wf.workflows.updateStepConfig(w.id, 'FACE_LIVENESS', { minimum_age: 18 })
  // @ts-expect-error not a step of the catalog
  await wf.workflows.create({ name: 'x', steps: [{ id: 'NOT_A_STEP' }] })
  // @ts-expect-error records keep the wire's names: there is no camelCase organizationId
  void w.organizationId
  const page = await wf.workflows.list({ status: 'active', limit: 10 })
  const next: string | null = page.nextCursor
  for await (const summary of wf.workflows.listAll({ pageSize: 50 })) void summary.steps[0]
  try {
    await wf.workflows.update(w.id, { name: 'x' }, { ifVersion: 1 })
  } catch (e) {
    if (e instanceof ValidationError) return e.details.map((d) => d.path).join()
    if (e instanceof PreconditionFailedError) return e.requestId ?? ''
  }
  const admin = createAdminClient({ baseUrl: 'http://127.0.0.1:3000', adminToken: 't' })
  const { apiKey, secret } = await admin.apiKeys.create(org, { mode: 'sandbox' })
  return apiKey.id + secret + updated.version + next
}
`
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    types: [],
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    skipLibCheck: true,
  },
  files: ['consumer.ts'],
}

type Probe = { created: { id: string }; urls: string[]; sameKey: boolean; error: Record<string, unknown> }

let scratch: string
let work: string
let tarball: string
let cleanup: (() => void) | undefined

beforeAll(async () => {
  expect(existsSync(join(PKG_DIR, 'dist/index.js')), 'dist/ is built (turbo runs build before test)').toBe(true)
  const project = await scratchProject({
    prefix: 'wf-client-pack-',
    workspace: [PKG_DIR, CORE_DIR],
    registry: [join(CORE_DIR, 'node_modules/typebox')],
    files: {
      'probe.mjs': PROBE,
      'node-entry.mjs': NODE_ENTRY,
      'browser-entry.mjs': BROWSER_ENTRY,
      'worker-entry.mjs': WORKER_ENTRY,
      'consumer.ts': CONSUMER_TS,
      'tsconfig.json': JSON.stringify(TSCONFIG),
    },
  })
  ;({ scratch, work, cleanup } = project)
  tarball = project.tarballs['@wf/client']!
  // Packing and an offline install: seconds alone, minutes beside a whole turbo run on a busy machine.
}, 300_000)

afterAll(() => cleanup?.())

function expectTheProbe(result: Probe) {
  expect(result.created).toEqual({ id: 'wf_1', name: 'KYC', version: 1 })
  expect(result.urls).toEqual(['POST http://wf.test/v1/workflows', 'POST http://wf.test/v1/workflows', 'POST http://wf.test/v1/workflows'])
  expect(result.sameKey).toBe(true)
  expect(result.error).toEqual({
    validation: true,
    wf: true,
    name: 'ValidationError',
    code: 'invalid_request',
    details: [{ path: '/name', message: 'must not be empty' }],
    requestId: 'req_1',
  })
}

let nodeRun: Promise<Probe> | undefined
const underNode = () => (nodeRun ??= ok(process.execPath, ['node-entry.mjs'], scratch).then((out) => JSON.parse(out) as Probe))

describe('the packed @wf/client', () => {
  it('depends on @wf/core only, for its types: the code imports nothing', () => {
    const root = join(scratch, 'node_modules/@wf/client')
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    expect(Object.keys(pkg.dependencies)).toEqual(['@wf/core'])
    expect(pkg.dependencies['@wf/core']).not.toMatch(/workspace/)
    for (const file of ['index', 'client', 'admin', 'workflows', 'transport', 'errors', 'own-write', 'retry', 'uuid']) {
      const js = readFileSync(join(root, 'dist', `${file}.js`), 'utf8')
      const imports = [...js.matchAll(/^import .* from ['"]([^'"]+)['"]/gm)].map((m) => m[1])
      expect(
        imports.filter((i) => !i!.startsWith('./')),
        file,
      ).toEqual([])
    }
  })

  it(`stays within its budget of ${BUDGET_BYTES / 1024} KiB minified and gzipped, bundling nothing but itself`, async () => {
    const size = await measure()
    expect(size.gzipped).toBeLessThanOrEqual(BUDGET_BYTES)
    expect(size.imports).toEqual([])
    expect(size.inputs.every((f) => f.startsWith('dist/'))).toBe(true)
  })

  it('is clean under publint (strict) and attw (esm-only)', async () => {
    const data = readFileSync(tarball)
    const { messages, pkg } = await publint({
      pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
      strict: true,
      level: 'suggestion',
    })
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false })}`)).toEqual([])
    const { code, out } = await exec(join(PKG_DIR, 'node_modules/.bin/attw'), [tarball, '--profile', 'esm-only', '--no-color'], work)
    expect(code, out).toBe(0)
  })

  it('compiles for a TypeScript consumer; wrong steps, configs and field names do not', async () => {
    const tsc = require.resolve('typescript/bin/tsc')
    const { code, out } = await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], scratch)
    expect(out).toBe('')
    expect(code).toBe(0)
  })

  it('works under Node', async () => {
    expectTheProbe(await underNode())
  })

  it('works in a browser bundle, with no node: import', async () => {
    const { code, result } = await runInBrowserRealm(build, scratch, 'browser-entry.mjs', '__probe')
    expect(code).not.toMatch(/["'`]node:/)
    const ran = JSON.parse(result as string) as { process: string; result: Probe }
    expect(ran.process).toBe('undefined')
    expect(ran.result).toEqual(await underNode())
  })

  it('works in workerd (Miniflare, no Node compatibility)', async () => {
    const { script, status, text } = await fetchFromWorkerd(build, Miniflare, scratch, 'worker-entry.mjs')
    expect(script).not.toMatch(/["'`]node:/)
    expect(status, text).toBe(200)
    const body = JSON.parse(text) as { userAgent: string; result: Probe }
    expect(body.userAgent).toBe('Cloudflare-Workers')
    expect(body.result).toEqual(await underNode())
  })
})
