#!/usr/bin/env node
// `pnpm --filter @wf/edge build`: the console's static assets (dist/assets, scripts/console-assets.mjs)
// and the deployable bundle, offline (`wrangler deploy --dry-run`), minified, with its size (raw
// and gzipped) and its largest contributors printed.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { stageConsoleAssets } from './console-assets.mjs'

const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }
try {
  stageConsoleAssets()
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : e}\n`)
  process.exit(1)
}
const run = spawnSync('wrangler', ['deploy', '--dry-run', '--outdir', 'dist', '--minify', '--metafile', 'dist/meta.json'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env,
  encoding: 'utf8',
})
if (run.error) throw run.error
if (run.status !== 0) {
  process.stdout.write(run.stdout ?? '')
  process.exit(run.status ?? 1)
}

const bundle = readFileSync('dist/index.js')
const gzipped = gzipSync(bundle, { level: 9 }).length
const meta = JSON.parse(readFileSync('dist/meta.json', 'utf8'))
const output = Object.values(meta.outputs).find((o) => Object.keys(o.inputs ?? {}).length > 0)
const byPackage = {}
for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
  const pkg = file.match(/node_modules\/\.pnpm\/(@?[^@/]+(?:\+[^@/]+)?)@/)?.[1]?.replace('+', '/') ?? file.split('/').slice(0, 5).join('/')
  byPackage[pkg] = (byPackage[pkg] ?? 0) + bytesInOutput
}
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`
const top = Object.entries(byPackage)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 8)
console.log(`Worker bundle: ${kib(bundle.length)} minified, ${kib(gzipped)} gzipped (target < 200 KiB gzipped)`)
for (const [pkg, bytes] of top) console.log(`  ${kib(bytes).padStart(10)}  ${pkg}`)
writeFileSync('dist/size.json', JSON.stringify({ minified: bundle.length, gzipped, byPackage: Object.fromEntries(top) }, null, 2))
