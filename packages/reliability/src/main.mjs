#!/usr/bin/env node
// The reliability suite (first slice): fuzzing, crash recovery and load against the real Node
// server process on 127.0.0.1. Prints a summary table and `N passed, M failed`; exits 1 on failure.
import { existsSync } from 'node:fs'
import { runCrash } from './crash.mjs'
import { runFuzz } from './fuzz.mjs'
import { SERVER_MAIN, check, figures, results } from './lib.mjs'
import { runLoad } from './load.mjs'

const HARD_LIMIT_MS = 170_000 // everything is bounded well below this; this is the last resort
const started = Date.now()
const watchdog = setTimeout(() => {
  process.stdout.write(`\nreliability: still running after ${HARD_LIMIT_MS / 1000} s; giving up\n`)
  process.exit(1) // the exit handler kills every server we started
}, HARD_LIMIT_MS)
watchdog.unref()

if (!existsSync(SERVER_MAIN)) {
  process.stderr.write(`reliability: ${SERVER_MAIN} is missing; build @wf/server first (pnpm test:reliability does)\n`)
  process.exit(2)
}

const parts = [
  ['fuzz', 'Property-based HTTP fuzzing', runFuzz],
  ['crash', 'Crash recovery (SIGKILL mid-load)', runCrash],
  ['load', 'Load with nothing lost', runLoad],
]
const only = process.env.WF_REL_ONLY?.split(',')
for (const [id, title, run] of parts) {
  if (only && !only.includes(id)) continue
  const t = Date.now()
  process.stdout.write(`\n== ${title} ==\n`)
  try {
    await run()
  } catch (e) {
    check(id, 'part ran to completion', false, e?.stack ?? String(e))
  }
  process.stdout.write(`   (${((Date.now() - t) / 1000).toFixed(1)} s)\n`)
}

const pad = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n))
const passed = results.filter((r) => r.ok).length
const failed = results.length - passed
process.stdout.write(`\nSummary\n${'-'.repeat(100)}\n${pad('part', 7)} ${pad('check', 82)} result\n${'-'.repeat(100)}\n`)
for (const r of results) process.stdout.write(`${pad(r.part, 7)} ${pad(r.name, 82)} ${r.ok ? 'pass' : 'FAIL'}\n`)
process.stdout.write(`${'-'.repeat(100)}\nFigures\n`)
for (const [k, v] of Object.entries(figures)) process.stdout.write(`  ${pad(k, 32)} ${v}\n`)
process.stdout.write(`  ${pad('run time', 32)} ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`)
process.stdout.write(`${passed} passed, ${failed} failed\n`)
process.exitCode = failed ? 1 : 0
