#!/usr/bin/env node
// Builds a workspace package and what it depends on through turbo (cached: ~50 ms when nothing
// changed), printing turbo's output only when the build fails, so `pnpm wf …` prints only wf's.
import { spawnSync } from 'node:child_process'

const filter = process.argv[2] ?? '@wf/server'
const run = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', `--filter=${filter}`, '--output-logs=errors-only'], {
  encoding: 'utf8',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
})
if (run.status !== 0) {
  process.stderr.write(run.stdout ?? '')
  process.stderr.write(run.stderr ?? '')
  process.stderr.write(run.error ? `${run.error.message}\n` : '')
  process.exit(run.status ?? 1)
}
