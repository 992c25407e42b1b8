#!/usr/bin/env node
// `npm run setup`: everything a fresh machine with only Node 20 and npm needs before `pnpm start`
// or `pnpm test`. Installs pnpm 12.4.2 (the release that runs on Node 20) when it is missing, then
// the workspace's dependencies.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const PNPM = '12.4.2'

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env })
  if (r.error) throw r.error
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const current = spawnSync('pnpm', ['--version'], { encoding: 'utf8' })
if (current.status !== 0 || current.stdout.trim() !== PNPM) {
  console.log(`setup: installing pnpm ${PNPM} (found: ${current.status === 0 ? current.stdout.trim() : 'none'})`)
  run('npm', ['install', '--global', `pnpm@${PNPM}`])
}

// better-sqlite3 compiles from source where no prebuilt binary can be downloaded; node-gyp then
// needs the local Node headers, and pnpm 12 ignores `nodedir` in .npmrc, so it is passed here.
// Where the headers are absent (a machine with internet), the prebuilt binary is used instead.
const env = { ...process.env }
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr'

const frozen = process.env.CI ? ['--frozen-lockfile'] : []
run('pnpm', ['install', ...frozen], env)
