#!/usr/bin/env node
// `pnpm --filter @wf/edge dev`: the Worker in workerd (wrangler's local mode) with a local D1,
// migrations applied, configured from the environment like `pnpm start` (contract §7):
// PORT (default 8787), WF_ADMIN_TOKEN, WF_RATE_LIMIT_RPS, WF_RATE_LIMIT_BURST.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stageConsoleAssets } from './console-assets.mjs'

const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }
const persist = process.env.WF_EDGE_STATE ?? '.wrangler/state'
const port = process.env.PORT || '8787'

// The Worker imports the workspace packages' built dist/, and the console is served from its build.
// On a fresh clone there is none, and wrangler would keep running with a bundle that failed, every
// request timing out: build them first (turbo, only when one is missing, so a running instance
// never sees its files rewritten).
const root = fileURLToPath(new URL('../../../', import.meta.url))
const builds = {
  '@wf/core': 'packages/core/dist/index.js',
  '@wf/storage': 'packages/storage/dist/index.js',
  '@wf/api': 'packages/api/dist/index.js',
  '@wf/console': 'apps/console/dist/console/index.html',
}
const missing = Object.keys(builds).filter((name) => !existsSync(join(root, builds[name])))
if (missing.length > 0) {
  process.stderr.write(`building ${missing.join(', ')} (no dist/ yet)…\n`)
  const build = spawnSync('node', [join(root, 'scripts', 'ensure-built.mjs'), '@wf/edge^...'], { stdio: 'inherit', cwd: root })
  if (build.status !== 0) {
    process.stderr.write('the build failed: run `pnpm build` at the repository root and read its errors\n')
    process.exit(build.status ?? 1)
  }
}

// The console's build, where wrangler.jsonc's `assets` reads it (wrangler reads _headers on start).
try {
  stageConsoleAssets()
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : e}\n`)
  process.exit(1)
}

const migrate = spawnSync('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...env, CI: 'true' }, // no confirmation prompt
})
if (migrate.error) throw migrate.error
if (migrate.status !== 0) process.exit(migrate.status ?? 1)

const vars = ['WF_ADMIN_TOKEN', 'WF_RATE_LIMIT_RPS', 'WF_RATE_LIMIT_BURST']
  .filter((name) => process.env[name])
  .flatMap((name) => ['--var', `${name}:${process.env[name]}`])
const dev = spawn(
  'wrangler',
  ['dev', '--local', '--ip', '127.0.0.1', '--port', port, '--persist-to', persist, '--show-interactive-dev-session=false', ...vars],
  {
    stdio: 'inherit',
    env,
  },
)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal))
dev.on('exit', (code) => process.exit(code ?? 0))
