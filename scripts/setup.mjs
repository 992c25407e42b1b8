#!/usr/bin/env node
// `npm run setup`: everything a fresh machine with only Node 20 and npm needs before `pnpm start`
// or `pnpm test`. Installs pnpm 12.4.2 (the release that runs on Node 20) when it is missing, then
// the workspace's dependencies. Their output (a cold install compiles better-sqlite3 and prints
// about a hundred lines of compiler warnings) goes to .setup.log; the terminal gets a summary, and
// the end of the log when a step fails.
import { spawn, spawnSync } from 'node:child_process'
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const PNPM = '12.4.2'
const LOG = '.setup.log'
const TAIL_LINES = 40
const started = Date.now()
const windows = process.platform === 'win32'

// pnpm checks the registry once a day and prints "Update available! 12.4.2 → …" after an install;
// the newer releases need Node 22, so the banner would only mislead. pnpm 12 reads this setting
// from PNPM_CONFIG_UPDATE_NOTIFIER (npm_config_update_notifier and --config.update-notifier are
// not read for it).
const env = { ...process.env, PNPM_CONFIG_UPDATE_NOTIFIER: 'false', npm_config_update_notifier: 'false' }
// better-sqlite3 compiles from source where no prebuilt binary can be downloaded; node-gyp then
// needs the local Node headers, and pnpm 12 ignores `nodedir` in .npmrc, so it is passed here.
// Where the headers are absent (a machine with internet), the prebuilt binary is used instead.
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr'

writeFileSync(LOG, `npm run setup, ${new Date().toISOString()}, Node ${process.version}, ${process.platform}-${process.arch}\n`)
const log = (text) => appendFileSync(LOG, text)
const seconds = (ms) => {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)} min ${s % 60} s`
}

/** Runs a command with its output appended to the log; resolves to its exit code and output. */
function step(cmd, args) {
  log(`\n$ ${cmd} ${args.join(' ')}\n`)
  return new Promise((resolve) => {
    let output = ''
    const child = spawn(cmd, args, { env, shell: windows, stdio: ['ignore', 'pipe', 'pipe'] })
    const take = (chunk) => {
      output += chunk
      log(chunk)
    }
    child.stdout.setEncoding('utf8').on('data', take)
    child.stderr.setEncoding('utf8').on('data', take)
    child.on('error', (e) => {
      log(`${e.message}\n`)
      resolve({ code: 127, output })
    })
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }))
  })
}

/** Stops setup: what failed, the end of the log, where the rest is. */
function fail(what, code) {
  const lines = readFileSync(LOG, 'utf8').trimEnd().split('\n')
  console.error(
    `\nsetup: ${what} failed (exit ${code}) after ${seconds(Date.now() - started)}. The last ${Math.min(TAIL_LINES, lines.length)} lines of ${LOG}:\n`,
  )
  console.error(lines.slice(-TAIL_LINES).join('\n'))
  console.error(`\nsetup: the whole log is in ${LOG}`)
  process.exit(code || 1)
}

function pnpmVersion() {
  const r = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env, shell: windows })
  return r.status === 0 ? r.stdout.trim() : undefined
}

// 1. pnpm itself.
const found = pnpmVersion()
let pnpmNote = `pnpm ${PNPM} (already installed)`
if (found !== PNPM) {
  console.log(`setup: installing pnpm ${PNPM} with npm (found: ${found ?? 'none'}) …`)
  const t = Date.now()
  const r = await step('npm', ['install', '--global', `pnpm@${PNPM}`])
  if (r.code !== 0) fail(`npm install --global pnpm@${PNPM}`, r.code)
  if (pnpmVersion() !== PNPM) {
    const prefix = spawnSync('npm', ['prefix', '--global'], { encoding: 'utf8', shell: windows }).stdout?.trim()
    console.error(`setup: pnpm ${PNPM} was installed, but \`pnpm\` on the PATH is ${pnpmVersion() ?? 'missing'}.`)
    if (prefix) console.error(`setup: put ${windows ? prefix : join(prefix, 'bin')} first on the PATH and run npm run setup again.`)
    process.exit(1)
  }
  pnpmNote = `pnpm ${PNPM} (installed with npm in ${seconds(Date.now() - t)})`
}
console.log(`setup: ${pnpmNote}`)

// 2. The workspace. A cold store takes about 3 minutes, most of it compiling better-sqlite3.
console.log(`setup: installing the workspace's dependencies (pnpm install; a first install takes a few minutes) …`)
const t = Date.now()
const frozen = process.env.CI ? ['--frozen-lockfile'] : []
const install = await step('pnpm', ['install', ...frozen])
if (install.code !== 0) fail('pnpm install', install.code)

const progress = [...install.output.matchAll(/resolved (\d+), reused (\d+), downloaded (\d+), added (\d+)/g)].at(-1)
const compiled = /gyp info ok|node-gyp|better-sqlite3.*(install|build)/i.test(install.output)
let what = 'already up to date'
if (progress) {
  const [, resolved, reused, downloaded] = progress
  what = `${resolved} packages (${downloaded} downloaded, ${reused} from the store)`
}
console.log(`setup: workspace: ${what}${compiled ? '; better-sqlite3 built from source' : ''}, in ${seconds(Date.now() - t)}`)
console.log(`setup: done in ${seconds(Date.now() - started)}. Full log: ${LOG}`)
console.log('Next: pnpm start (the server on http://127.0.0.1:3000) or pnpm test')
