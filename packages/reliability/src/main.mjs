#!/usr/bin/env node
// The reliability suite: fuzzing, crash recovery, load, isolation/auth and rate limits against the
// real Node server process on 127.0.0.1, the parts that make sense against the edge app in local
// workerd, and two Node replicas on one PostgreSQL database with a shared rate limit (kill -9 of one
// mid-load, revocation across them, rate-limit storms over both with Redis and with PostgreSQL).
// Prints a summary table and `N passed, M failed`; exits 1 on failure.
// WF_REL_QUICK=1: every part with small bounds (< 60 s, for CI). WF_REL_ONLY=fuzz,http,edge,…: some parts.
// The replicas part needs PostgreSQL (WF_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
// and Redis (WF_TEST_REDIS_URL, default redis://127.0.0.1:6379); without them it fails with one check
// saying so, or notes itself skipped when WF_REL_SKIP_SERVICES=1.
import { existsSync } from 'node:fs'
import { runCrash } from './crash.mjs'
import { runEdge } from './edge.mjs'
import { runFuzz } from './fuzz.mjs'
import { httpNote, runHttpFraming } from './http-framing.mjs'
import { runIsolation } from './isolation.mjs'
import { figuresNote } from './isolation-shared.mjs'
import { runLoad } from './load.mjs'
import { rateNote, runRateLimits } from './rate-limits.mjs'
import { runReplicas } from './replicas.mjs'
import { check, figures, QUICK, results } from './report.mjs'
import { processesStarted, SERVER_MAIN, scanLogs, secrets } from './servers.mjs'

// Everything is bounded well below this; this is the last resort. The same in quick mode: the
// checks are decided by counts, so a slow machine takes longer rather than testing less.
const HARD_LIMIT_MS = 290_000
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

/** @type {Array<[id: string, title: string, run: () => Promise<unknown>]>} */
const parts = [
  ['fuzz', 'Property-based HTTP fuzzing', runFuzz],
  ['crash', 'Crash recovery (SIGKILL mid-load)', runCrash],
  ['load', 'Load with nothing lost', runLoad],
  ['isol', 'Isolation and auth (OWASP API1–API4), sizes, slowloris', runIsolation],
  ['rate', 'Rate limits under concurrency', runRateLimits],
  ['http', 'HTTP at the byte level (pipelining, garbage after a request, aborts mid-body, bare answers): Node and edge', runHttpFraming],
  ['edge', 'The edge app in local workerd: fuzz, isolation, rate limit', runEdge],
  ['replicas', 'Replicas on one PostgreSQL database', runReplicas],
]
process.stdout.write(`reliability suite${QUICK ? ' (quick mode: WF_REL_QUICK=1)' : ''}\n`)
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

// Last: the logs of every process this run started (servers, wrangler/workerd) hold no secret.
{
  const t = Date.now()
  process.stdout.write('\n== Secrets in the logs ==\n')
  const scan = await scanLogs()
  // Nothing started (e.g. WF_REL_ONLY=replicas with the services skipped): nothing to search.
  if (processesStarted() === 0) process.stdout.write('  [skip] logs: no process was started\n')
  else
    check(
      'logs',
      `no API key secret and no admin token in the logs of the ${scan.files} processes started`,
      scan.files > 0 && scan.found.length === 0,
      scan.found.length
        ? `${scan.found.length} found: ${scan.found.slice(0, 3).join(' | ')}`
        : `${(scan.bytes / 1e6).toFixed(1)} MB searched for ${secrets.size} secrets (${scan.needles} strings) and key-shaped text`,
    )
  process.stdout.write(`   (${((Date.now() - t) / 1000).toFixed(1)} s)\n`)
}
if (figuresNote.timing) figures['admin token timing'] = figuresNote.timing
if (figuresNote.slowloris) figures.slowloris = figuresNote.slowloris
if (rateNote.node) figures['rate limit (node)'] = rateNote.node
if (rateNote.edge) figures['rate limit (edge)'] = rateNote.edge
if (httpNote.platform) figures['http: platform answers (edge)'] = httpNote.platform.length

const pad = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n))
const passed = results.filter((r) => r.ok).length
const failed = results.length - passed
process.stdout.write(`\nSummary\n${'-'.repeat(100)}\n${pad('part', 8)} ${pad('check', 81)} result\n${'-'.repeat(100)}\n`)
for (const r of results) process.stdout.write(`${pad(r.part, 8)} ${pad(r.name, 81)} ${r.ok ? 'pass' : 'FAIL'}\n`)
process.stdout.write(`${'-'.repeat(100)}\nFigures\n`)
for (const [k, v] of Object.entries(figures)) process.stdout.write(`  ${pad(k, 32)} ${v}\n`)
process.stdout.write(`  ${pad('run time', 32)} ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`)
process.stdout.write(`${passed} passed, ${failed} failed\n`)
process.exitCode = failed ? 1 : 0
