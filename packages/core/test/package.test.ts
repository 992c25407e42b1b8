// @wf/core as another team gets it. The package is packed (`pnpm pack`, from the built dist/) and
// installed from the tarball into a scratch project in a temporary folder, beside that project's own
// typebox (the peer dependency). The same probe (parse the example, refuse a bad body, compile an
// exported schema with the project's typebox) then runs under Node, in a browser bundle (esbuild,
// evaluated in a realm with no require or process) and in workerd (Miniflare); all three must give
// the same answer. publint and attw check the same tarball, and tsc compiles a TypeScript consumer.
//
// Offline: typebox is packed from the workspace's copy (the same 1.4.3 the registry serves) and
// npm installs both tarballs with --offline.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, sep } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exec, fetchFromWorkerd, ok, runInBrowserRealm, scratchProject } from '../../../scripts/lib/scratch-project.mjs'

const PKG_DIR = join(import.meta.dirname, '..')
const require = createRequire(import.meta.url)

// The probe every runtime runs. Only the package's public entry point and typebox's are imported.
// The schema is compiled at module scope: on Workers code generation is allowed only while the
// module loads, and TypeBox decides once, at its first compile (core's, at load), whether it may
// generate code; compiled inside a request it throws EvalError (see README, "Cloudflare Workers").
const PROBE = `
import { CreateWorkflowRequest, EXAMPLE_CREATE_WORKFLOW, parseCreateWorkflow } from '@wf/core'
import { Compile } from 'typebox/compile'

const isCreateRequest = Compile(CreateWorkflowRequest)

export function probe() {
  return {
    created: parseCreateWorkflow(EXAMPLE_CREATE_WORKFLOW),
    invalid: parseCreateWorkflow({ name: '', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 0 } }] }),
    compiled: {
      example: isCreateRequest.Check(EXAMPLE_CREATE_WORKFLOW),
      unknownStep: isCreateRequest.Check({ name: 'x', steps: [{ id: 'NOT_A_STEP' }] }),
    },
  }
}
`
const NODE_ENTRY = `
import { probe } from './probe.mjs'
process.stdout.write(JSON.stringify({ typebox: import.meta.resolve('typebox'), result: probe() }))
`
const BROWSER_ENTRY = `
import { probe } from './probe.mjs'
globalThis.__wfProbe = JSON.stringify({ process: typeof process, result: probe() })
`
const WORKER_ENTRY = `
import { probe } from './probe.mjs'
export default {
  fetch() {
    return Response.json({ userAgent: navigator.userAgent, result: probe() })
  },
}
`
// A TypeScript consumer: the declarations resolve, with types from the project's own typebox.
const CONSUMER_TS = `
import { CreateWorkflowRequest, EXAMPLE_CREATE_WORKFLOW, parseCreateWorkflow, type StepId } from '@wf/core'
import type { Static } from 'typebox'
import { Compile } from 'typebox/compile'

const body: unknown = JSON.parse('{}')
if (Compile(CreateWorkflowRequest).Check(body)) {
  const name: string = body.name
  void name
}
const parsed = parseCreateWorkflow(body)
if (parsed.ok) {
  const first: StepId | undefined = parsed.value.steps[0]?.id
  void first
} else {
  const paths: string[] = parsed.issues.map((issue) => issue.path)
  void paths
}
const request: Static<typeof CreateWorkflowRequest> = EXAMPLE_CREATE_WORKFLOW
// @ts-expect-error not a step of the catalog
const wrong: Static<typeof CreateWorkflowRequest> = { name: 'x', steps: [{ id: 'NOT_A_STEP' }] }
void request, wrong
`
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    // A browser project's settings. skipLibCheck as nearly every project has it: checking typebox's
    // own declarations takes ~20 s and is typebox's business (ours are checked where consumer.ts uses them).
    types: [],
    lib: ['ES2023', 'DOM'],
    skipLibCheck: true,
  },
  files: ['consumer.ts'],
}

type Probe = {
  created: { ok: true; value: { name: string; steps: { id: string; config: Record<string, unknown> }[] } }
  invalid: { ok: false; issues: { path: string; message: string }[] }
  compiled: { example: boolean; unknownStep: boolean }
}

let work: string
let scratch: string
let tarball: string
let cleanup: (() => void) | undefined

beforeAll(async () => {
  expect(existsSync(join(PKG_DIR, 'dist/index.js')), 'dist/ is built (turbo runs build before test)').toBe(true)
  const project = await scratchProject({
    prefix: 'wf-core-pack-',
    workspace: [PKG_DIR],
    registry: [join(PKG_DIR, 'node_modules/typebox')],
    files: {
      'probe.mjs': PROBE,
      'node-entry.mjs': NODE_ENTRY,
      'browser-entry.mjs': BROWSER_ENTRY,
      'worker-entry.mjs': WORKER_ENTRY,
      'consumer.ts': CONSUMER_TS,
      'tsconfig.json': JSON.stringify(TSCONFIG),
    },
  })
  ;({ work, scratch, cleanup } = project)
  tarball = project.tarballs['@wf/core']!
  // Packing and an offline install: seconds alone, minutes beside a whole turbo run on a busy machine.
}, 300_000)

afterAll(() => cleanup?.())

function expectTheProbe(result: Probe) {
  expect(result.created.ok).toBe(true)
  expect(result.created.value.name).toBe('Standard onboarding')
  expect(result.created.value.steps.map((s) => s.id)).toEqual([
    'ID_VERIFICATION',
    'FACE_LIVENESS',
    'AGE_ESTIMATION',
    'PEP_SANCTIONS',
    'ADVERSE_MEDIA',
  ])
  expect(result.created.value.steps[0]!.config.minimum_age).toBe(21)
  expect(result.invalid.ok).toBe(false)
  expect(result.invalid.issues.map((i) => i.path)).toEqual(['/name', '/steps/0/config/confidence_threshold'])
  expect(result.compiled).toEqual({ example: true, unknownStep: false })
}

/** The probe under Node, run once: the answer the browser bundle and workerd must match. */
let nodeRun: Promise<{ typebox: string; result: Probe }> | undefined
const underNode = () =>
  (nodeRun ??= ok(process.execPath, ['node-entry.mjs'], scratch).then((out) => JSON.parse(out) as { typebox: string; result: Probe }))

describe('the packed @wf/core', () => {
  it('contains the build, the licence and the readme, and no tests', () => {
    const root = join(scratch, 'node_modules/@wf/core')
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).map((f) => f.split(sep).join('/'))
    expect(files).toEqual(
      expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'src/index.ts']),
    )
    expect(files.filter((f) => /\.test(-d)?\.ts$|^test\//.test(f))).toEqual([])
    // The sources ship so that the source maps resolve: every file a map names is in the package.
    const maps = files.filter((f) => f.endsWith('.js.map'))
    expect(maps.length).toBeGreaterThan(5)
    const missing = maps.flatMap((map) =>
      (JSON.parse(readFileSync(join(root, map), 'utf8')) as { sources: string[] }).sources
        .map((source) => join(root, map, '..', source))
        .filter((source) => !existsSync(source)),
    )
    expect(missing).toEqual([])
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    expect(pkg.dependencies).toBeUndefined()
    expect(pkg.peerDependencies).toEqual({ typebox: expect.stringMatching(/^\^1\./) })
    expect(pkg.publishConfig).toEqual({ access: 'public' })
    expect(pkg.repository.directory).toBe('packages/core')
  })

  it('uses the project’s own typebox: npm nested no copy under @wf/core', () => {
    expect(existsSync(join(scratch, 'node_modules/@wf/core/node_modules'))).toBe(false)
    expect(JSON.parse(readFileSync(join(scratch, 'node_modules/typebox/package.json'), 'utf8')).version).toBe('1.4.3')
  })

  it('is clean under publint (strict, every level)', async () => {
    const data = readFileSync(tarball)
    const { messages, pkg } = await publint({
      pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
      strict: true,
      level: 'suggestion',
    })
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false })}`)).toEqual([])
  })

  // ESM only, on purpose: attw's esm-only profile leaves out the CommonJS rows (node10, node16 from
  // CJS) and checks node16 from ESM and bundler resolution.
  it('is clean under attw (profile esm-only)', async () => {
    const { code, out } = await exec(join(PKG_DIR, 'node_modules/.bin/attw'), [tarball, '--profile', 'esm-only', '--no-color'], work)
    expect(code, out).toBe(0)
    expect(out).toMatch(/node16 \(from ESM\)\s*│\s*🟢/)
    expect(out).toMatch(/bundler\s*│\s*🟢/)
  })

  it('compiles for a TypeScript consumer (NodeNext), types from the project’s typebox', async () => {
    const tsc = require.resolve('typescript/bin/tsc')
    const { code, out } = await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], scratch)
    expect(out).toBe('')
    expect(code).toBe(0)
  })

  it('works under Node', async () => {
    const { typebox, result } = await underNode()
    expect(typebox.startsWith(`file://${realpathSync(scratch)}/node_modules/typebox/`), typebox).toBe(true)
    expectTheProbe(result)
  })

  it('works in a browser bundle (esbuild, platform browser), with no node: import', async () => {
    const { code, metafile, result } = await runInBrowserRealm(build, scratch, 'browser-entry.mjs', '__wfProbe')
    expect(code).not.toMatch(/["'`]node:/)
    const output = Object.values(metafile.outputs)[0]!
    expect(output.imports).toEqual([])
    const packages = new Set(Object.keys(metafile.inputs).map((f) => f.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? f))
    expect([...packages].sort()).toEqual(['@wf/core', 'browser-entry.mjs', 'probe.mjs', 'typebox'])
    const ran = JSON.parse(result as string) as { process: string; result: Probe }
    expect(ran.process).toBe('undefined')
    expectTheProbe(ran.result)
    expect(ran.result).toEqual((await underNode()).result)
  })

  it('works in workerd (Miniflare, ES modules, no Node compatibility)', async () => {
    const { script, status, text } = await fetchFromWorkerd(build, Miniflare, scratch, 'worker-entry.mjs')
    expect(script).not.toMatch(/["'`]node:/)
    expect(status, text).toBe(200)
    const body = JSON.parse(text) as { userAgent: string; result: Probe }
    expect(body.userAgent).toBe('Cloudflare-Workers')
    expectTheProbe(body.result)
    expect(body.result).toEqual((await underNode()).result)
  })
})
