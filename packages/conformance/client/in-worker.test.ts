/**
 * The same scenarios with the client bundled into a Worker: esbuild bundles worker-entry.ts with
 * `@wf/client` (ES module, browser platform, the workerd/worker/browser conditions), Miniflare runs
 * the bundle in workerd, and each scenario is one request to it (`mf.dispatchFetch`): the Worker
 * runs the scenario against the Node server and answers whether it passed.
 *
 * Run in the `node` project only (the Worker calls the Node server that project starts).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { build, type Metafile } from 'esbuild'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import '../src/provided.js'
import { packageDir } from '../test/launch.js'
import { type ScenarioInput, scenarios, TIMEOUTS } from './scenarios.js'

const input: ScenarioInput = {
  target: `${inject('target')}, client in workerd`,
  baseUrl: inject('baseUrl'),
  limitedUrl: inject('limitedUrl'),
  adminToken: inject('adminToken'),
  tightLimits: inject('tightLimits'),
}

let script: string
let metafile: Metafile
let mf: Miniflare | undefined

beforeAll(async () => {
  const dist = join(packageDir('@wf/client'), 'dist', 'index.js')
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`pnpm --filter @wf/client build\` first`)
  const bundled = await build({
    entryPoints: [join(import.meta.dirname, 'worker-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  script = bundled.outputFiles[0]!.text
  metafile = bundled.metafile
  mf = new Miniflare({ modules: true, script, compatibilityDate: '2026-04-01' })
  await mf.ready
})

afterAll(async () => {
  await mf?.dispose()
})

describe(`@wf/client bundled into a Worker (workerd), against ${inject('target')}`, () => {
  it('bundles with no node: import and nothing but the scenarios and @wf/client', () => {
    expect(script).not.toMatch(/\bfrom\s*["'`]node:|\bimport\s*\(\s*["'`]node:|\brequire\s*\(/)
    expect(script).not.toMatch(/["'`]node:/)
    const output = Object.values(metafile.outputs)[0]!
    expect(output.imports).toEqual([])
    const sources = Object.keys(metafile.inputs).map((f) => f.replace(/^.*\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, ''))
    const outside = sources.filter(
      (f) =>
        !/^(client\/(worker-entry|scenarios|scenarios\/[a-z-]+|check|faults)|src\/stored-example)\.ts$/.test(f) &&
        !/(^|\/)client\/dist\//.test(f),
    )
    expect(outside, sources.join('\n')).toEqual([])
    expect(sources.some((f) => /client\/dist\/index\.js$/.test(f))).toBe(true)
  })

  for (const name of Object.keys(scenarios)) it(name, () => runInWorker(name), TIMEOUTS[name])
})

/** One scenario in the Worker: a request to it, its answer turned back into a pass or a thrown error. */
async function runInWorker(name: string): Promise<void> {
  const res = await mf!.dispatchFetch('http://client.test/', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenario: name, ctx: input }),
  })
  const text = await res.text()
  let body: { ok: boolean; error?: string; stack?: string; logs?: string[]; userAgent?: string }
  try {
    body = JSON.parse(text)
  } catch {
    throw new Error(`the Worker answered ${res.status} with a body that is not JSON:\n${text.slice(0, 2000)}`)
  }
  for (const line of body.logs ?? []) console.log(line)
  if (!body.ok) {
    const error = new Error(`in the Worker: ${body.error}`)
    error.stack = `${error.message}\n--- stack in workerd ---\n${body.stack}`
    throw error
  }
  expect(res.status).toBe(200)
  expect(body.userAgent).toBe('Cloudflare-Workers')
}
