#!/usr/bin/env node
// Builds a workspace package and what it depends on through turbo (cached: ~50 ms when nothing
// changed), printing turbo's output only when the build fails, so `pnpm wf …` prints only wf's.
// `node scripts/ensure-built.mjs @wf/server`, or `ensureBuilt('@wf/server')` from another script.
import { spawnSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'

/** Builds `filter` quietly; on failure prints turbo's output to stderr and exits with its code. */
export function ensureBuilt(filter = '@wf/server') {
  const run = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', `--filter=${filter}`, '--output-logs=errors-only'], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
  })
  if (run.status !== 0) {
    process.stderr.write(run.stdout ?? '')
    process.stderr.write(run.stderr ?? '')
    process.stderr.write(run.error ? `${run.error.message}\n` : '')
    process.stderr.write(`\nThe build of ${filter} failed (output above).\n`)
    process.exit(run.status ?? 1)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) ensureBuilt(process.argv[2])
