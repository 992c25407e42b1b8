#!/usr/bin/env node
// `pnpm --filter @wf/edge dev`: the Worker in workerd (wrangler's local mode) with a local D1,
// migrations applied, configured from the environment like `pnpm start` (contract §7):
// PORT (default 8787), WF_ADMIN_TOKEN, WF_RATE_LIMIT_RPS, WF_RATE_LIMIT_BURST.
import { spawn, spawnSync } from 'node:child_process'

const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }
const persist = process.env.WF_EDGE_STATE ?? '.wrangler/state'
const port = process.env.PORT || '8787'

const migrate = spawnSync('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...env, CI: 'true' }, // no confirmation prompt
})
if (migrate.error) throw migrate.error
if (migrate.status !== 0) process.exit(migrate.status ?? 1)

const vars = ['WF_ADMIN_TOKEN', 'WF_RATE_LIMIT_RPS', 'WF_RATE_LIMIT_BURST']
  .filter((name) => process.env[name])
  .flatMap((name) => ['--var', `${name}:${process.env[name]}`])
const dev = spawn('wrangler', ['dev', '--local', '--ip', '127.0.0.1', '--port', port, '--persist-to', persist, '--show-interactive-dev-session=false', ...vars], {
  stdio: 'inherit',
  env,
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal))
dev.on('exit', (code) => process.exit(code ?? 0))
