// Part 2: crash recovery. A create load with Idempotency-Keys, SIGKILL in the middle of it,
// restart on the same database file: every 201 is there exactly as acknowledged, the file passes
// PRAGMA integrity_check, and retrying each unacknowledged request creates it at most once.

import { join } from 'node:path'
import Database from 'better-sqlite3'
import { createKey, createOrg, listAll } from './admin.mjs'
import { request } from './http.mjs'
import { addFigure, bound, check, jsonEqual } from './report.mjs'
import { sleep, startServer, tempDir } from './servers.mjs'

const PART = 'crash'
const CLIENTS = 8
const KILL_AFTER_MS = Number(process.env.WF_REL_CRASH_MS ?? bound(1500, 800))
// The kill waits for this many acknowledged creates too (a slow machine acknowledges fewer in
// KILL_AFTER_MS, and a crash test with nothing acknowledged proves nothing); 60 s against a hang.
const MIN_ACKED = bound(500, 100)
const ACK_WAIT_LIMIT_MS = 60_000

function bodyFor(i) {
  /** @type {Array<{ id: string, config?: object }>} */
  const steps = [
    {
      id: 'ID_VERIFICATION',
      config: {
        minimum_age: i % 18,
        maximum_age: 18 + (i % 100),
        escalation_type: i % 3 === 0 ? 'nfc-passport' : 'none',
        escalation_risk_threshold: i % 101,
      },
    },
    { id: 'FACE_LIVENESS', config: { confidence_threshold: 1 + (i % 100) } },
  ]
  if (i % 2) steps.push({ id: 'PEP_SANCTIONS' })
  return { name: `crash ${i}`, steps }
}

function integrity(dbPath) {
  const db = new Database(dbPath)
  try {
    return db
      .pragma('integrity_check', { simple: false })
      .map((r) => r.integrity_check)
      .join('; ')
  } finally {
    db.close()
  }
}

export async function runCrash() {
  const dir = tempDir('wf-rel-crash-')
  const dbPath = join(dir, 'wf.sqlite')
  const env = { WF_DB_PATH: dbPath }
  const first = await startServer(env, 'crash-first')
  const org = await createOrg(first, 'Crash Org')
  const key = await createKey(first, org.id, 'live')
  const headers = (i) => ({ 'x-api-key': key.secret, 'idempotency-key': `crash-${i}` })

  const sent = new Map() // i -> { body, outcome: 'acked' | 'lost' | 'refused', workflow? }
  let next = 0
  let stop = false
  const clients = Array.from({ length: CLIENTS }, async () => {
    while (!stop && next < 100_000) {
      const i = next++
      const body = bodyFor(i)
      const entry = { body, outcome: 'lost' }
      sent.set(i, entry)
      try {
        const res = await request(first, 'POST', '/v1/workflows', { headers: headers(i), body, timeoutMs: 5000 })
        if (res.status === 201) Object.assign(entry, { outcome: 'acked', workflow: res.json.workflow })
        else Object.assign(entry, { outcome: 'refused', status: res.status })
      } catch {
        entry.outcome = 'lost' // no answer: it may or may not have been committed
      }
    }
  })
  await sleep(KILL_AFTER_MS)
  const ackedSoFar = () => [...sent.values()].filter((e) => e.outcome === 'acked').length
  for (const t = Date.now(); ackedSoFar() < MIN_ACKED && Date.now() - t < ACK_WAIT_LIMIT_MS; ) await sleep(20)
  const inFlightAtKill = [...sent.values()].filter((e) => e.outcome === 'lost').length
  first.process.kill('SIGKILL')
  const exit = await first.exited
  stop = true
  await Promise.all(clients)
  first.agent.destroy()

  const entries = [...sent.entries()]
  const acked = entries.filter(([, e]) => e.outcome === 'acked')
  const lost = entries.filter(([, e]) => e.outcome === 'lost')
  const refused = entries.filter(([, e]) => e.outcome === 'refused')
  addFigure('crash: faults injected (SIGKILL)', 1)
  addFigure('crash: writes acknowledged (201)', acked.length)
  addFigure('requests sent', entries.length)
  check(
    PART,
    `server killed by SIGKILL mid-load, after ≥ ${MIN_ACKED} acknowledged creates`,
    exit.signal === 'SIGKILL' && inFlightAtKill > 0 && acked.length >= MIN_ACKED,
    `${acked.length} acknowledged, ${lost.length} without an answer (${inFlightAtKill} in flight at the kill), ${refused.length} refused`,
  )
  check(
    PART,
    'no create refused before the kill',
    refused.length === 0,
    refused
      .slice(0, 3)
      .map(([i, e]) => `#${i}: ${e.status}`)
      .join(', '),
  )

  const afterKill = integrity(dbPath)
  check(PART, 'PRAGMA integrity_check after SIGKILL is ok', afterKill === 'ok', afterKill)

  const second = await startServer(env, 'crash-restarted')
  let found = 0
  try {
    const mismatches = []
    for (const [i, e] of acked) {
      const res = await request(second, 'GET', `/v1/workflows/${e.workflow.id}`, { headers: { 'x-api-key': key.secret } })
      if (res.status === 200 && jsonEqual(res.json.workflow, e.workflow)) found++
      else if (mismatches.length < 3) mismatches.push(`#${i} ${e.workflow.id}: ${res.status} ${res.text.slice(0, 200)}`)
    }
    addFigure('crash: acknowledged writes found', found)
    check(
      PART,
      'every acknowledged (201) workflow is readable with exactly the acknowledged content',
      found === acked.length,
      `${found}/${acked.length} found${mismatches.length ? `; e.g. ${mismatches.join(' | ')}` : ''}`,
    )

    // Retry every request once more with the same key and body: the acknowledged ones replay,
    // the unanswered ones are created now or replayed if they had been committed.
    const byKey = new Map()
    const retryProblems = []
    let replayed = 0
    let createdNow = 0
    for (const [i, e] of entries) {
      const res = await request(second, 'POST', '/v1/workflows', { headers: headers(i), body: e.body })
      addFigure('requests sent', 1)
      if (res.status !== 201) {
        retryProblems.push(`#${i} (${e.outcome}): ${res.status} ${res.text.slice(0, 160)}`)
        continue
      }
      const isReplay = res.headers['idempotent-replayed'] === 'true'
      if (isReplay) replayed++
      else createdNow++
      byKey.set(i, res.json.workflow.id)
      if (e.outcome === 'acked') {
        if (!isReplay || !jsonEqual(res.json.workflow, e.workflow))
          retryProblems.push(
            `#${i} acknowledged as ${e.workflow.id}, retry answered ${isReplay ? 'a different replay' : 'a new create'} ${res.json.workflow.id}`,
          )
      }
    }
    check(
      PART,
      'retrying every request with its Idempotency-Key: 201, acknowledged ones replay the same workflow',
      retryProblems.length === 0,
      `${replayed} replayed, ${createdNow} created now (of ${lost.length} unanswered)${retryProblems.length ? `; ${retryProblems.length} problems, e.g. ${retryProblems.slice(0, 3).join(' | ')}` : ''}`,
    )

    const listed = await listAll(second, key.secret, 100)
    const names = new Map()
    for (const w of listed) names.set(w.name, (names.get(w.name) ?? 0) + 1)
    const dupNames = [...names.entries()].filter(([, n]) => n > 1)
    const ids = new Set(listed.map((w) => w.id))
    const missingIds = [...byKey.values()].filter((id) => !ids.has(id))
    check(
      PART,
      'each request created at most once (counted by listing)',
      dupNames.length === 0 && listed.length === entries.length && missingIds.length === 0 && ids.size === listed.length,
      `${listed.length} listed for ${entries.length} distinct Idempotency-Keys${
        dupNames.length
          ? `; duplicated: ${dupNames
              .slice(0, 5)
              .map(([n, c]) => `${n}×${c}`)
              .join(', ')}`
          : ''
      }${missingIds.length ? `; ${missingIds.length} retried ids missing from the list` : ''}`,
    )
  } finally {
    const r = await second.stop('SIGTERM')
    check(PART, 'restarted server stops cleanly', r.code === 0, `exit ${r.code ?? r.signal}`)
  }
  const atEnd = integrity(dbPath)
  check(PART, 'PRAGMA integrity_check after the restart is ok', atEnd === 'ok', atEnd)
}
