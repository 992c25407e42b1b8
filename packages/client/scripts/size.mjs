#!/usr/bin/env node
// `pnpm --filter @wf/client size`: what the client adds to an application, bundled and minified
// by esbuild as a browser or Worker bundle would take it, then gzipped. The budget is 10 KiB.
// Also reports what the bundle pulled in: it must be the client's own files only (no dependency
// at run time; @wf/core is imported for its types only).
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

export const BUDGET_BYTES = 10 * 1024

/** Bundles the built client (everything it exports) and measures it. */
export async function measure() {
  const out = await build({
    entryPoints: ['dist/index.js'],
    absWorkingDir: new URL('..', import.meta.url).pathname,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const code = out.outputFiles[0].contents
  return {
    minified: code.byteLength,
    gzipped: gzipSync(code, { level: 9 }).byteLength,
    inputs: Object.keys(out.metafile.inputs),
    imports: out.metafile.outputs[Object.keys(out.metafile.outputs)[0]].imports.map((i) => i.path),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const m = await measure()
  const kib = (n) => `${(n / 1024).toFixed(2)} KiB`
  console.log(`@wf/client bundled (esbuild, minified): ${kib(m.minified)}; gzipped: ${kib(m.gzipped)} (budget ${kib(BUDGET_BYTES)})`)
  console.log(
    `inputs: ${m.inputs.length} files, all from the client: ${m.inputs.every((f) => f.startsWith('dist/'))}; imports left: ${m.imports.length}`,
  )
  if (m.gzipped > BUDGET_BYTES) process.exitCode = 1
}
