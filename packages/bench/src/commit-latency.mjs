#!/usr/bin/env node
// `pnpm --filter @wf/bench commit-latency [pages,…]`: how long a group commit of 5 creates takes
// through the store, for each automatic-checkpoint threshold (SQLite's default is 1,000 pages),
// on a fresh file, 6 s each, pinned to core 0 like the server in `pnpm bench`. Prints the number
// of commits and the p50/p99/p99.9/max latency: the checkpoint is what makes the tail.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createIdGenerator } from '@wf/api'
import { EXAMPLE_CREATE_WORKFLOW, parseCreateWorkflow } from '@wf/core'
import { openDatabase } from '@wf/storage/node'

const [thresholds = '100,250,1000,4000', child] = process.argv.slice(2)
if (child === undefined) {
  // One child per threshold, on core 0 when taskset is there.
  for (const pages of thresholds.split(',')) {
    const argv = [process.argv[1], pages, 'child']
    const run = spawnSync('taskset', ['-c', '0', process.execPath, ...argv], { stdio: 'inherit' })
    if (run.error) spawnSync(process.execPath, argv, { stdio: 'inherit' })
  }
  process.exit(0)
}

const dir = mkdtempSync(join(tmpdir(), 'wf-commit-latency-'))
const { store, sqlite } = openDatabase(join(dir, 'commits.sqlite'))
sqlite.pragma(`wal_autocheckpoint = ${Number(thresholds)}`)
const ids = createIdGenerator()
const parsed = parseCreateWorkflow(EXAMPLE_CREATE_WORKFLOW)
if (!parsed.ok) throw new Error('example workflow does not validate')
const org = { id: ids.organization(), name: 'commit latency', created_at: new Date().toISOString() }
await store.createOrganization(org)
const create = () => {
  const now = new Date().toISOString()
  return store.insertWorkflow({
    id: ids.workflow(),
    name: 'W',
    status: 'active',
    organization_id: org.id,
    version: 1,
    created_by: 'key_bench',
    created_at: now,
    updated_at: now,
    steps: parsed.value.steps,
  })
}
const latencies = []
const started = performance.now()
while (performance.now() - started < 6000) {
  const t = performance.now()
  await Promise.all([create(), create(), create(), create(), create()]) // one group: one commit
  latencies.push(performance.now() - t)
}
latencies.sort((a, b) => a - b)
const at = (q) => latencies[Math.floor(q * (latencies.length - 1))].toFixed(2)
console.log(
  `wal_autocheckpoint ${thresholds.padStart(5)}: ${latencies.length} commits; ms p50 ${at(0.5)}  p99 ${at(0.99)}  p99.9 ${at(0.999)}  max ${at(1)}`,
)
sqlite.close()
rmSync(dir, { recursive: true, force: true })
