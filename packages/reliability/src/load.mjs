// Part 3: load with nothing lost. ~20 concurrent clients run a mixed workload (create, read, list,
// PATCH with If-Match, archive) for a fixed time; then every acknowledged write is checked against
// what the server holds, the version histories, a full list walk, and contended If-Match updates.
import { join } from 'node:path'
import { createKey, createOrg, listAll } from './admin.mjs'
import { request } from './http.mjs'
import { addFigure, bound, check, jsonEqual } from './report.mjs'
import { startServer, tempDir } from './servers.mjs'

const PART = 'load'
const CLIENTS = 20
const DURATION_MS = Number(process.env.WF_REL_LOAD_MS ?? bound(10_000, 3_000))
const CONTENTION_ROUNDS = bound(10, 5)
const CONTENDERS = 20
// "The mixed load ran" needs some acknowledged writes of each kind. The load lasts DURATION_MS,
// then goes on (creates first, then If-Match updates) until these are reached, however slow the
// machine; at most EXTRA_OPS operations per client after the time is up, against a hang.
const MIN_CREATES = 51
const MIN_PATCHES = 21
const EXTRA_OPS = 2000

/** Step lists of valid creates, cycled through by the load and the replicas part. */
export const STEP_SETS = [
  [{ id: 'FACE_LIVENESS' }],
  [{ id: 'ID_VERIFICATION', config: { escalation_type: 'nfc-passport' } }, { id: 'PEP_SANCTIONS' }],
  [
    { id: 'AGE_ESTIMATION', config: { minimum_age: 21 } },
    { id: 'ADVERSE_MEDIA' },
    { id: 'FACE_LIVENESS', config: { confidence_threshold: 90 } },
  ],
]

const pick = (xs) => xs[Math.floor(Math.random() * xs.length)]

export async function runLoad() {
  const dir = tempDir('wf-rel-load-')
  const srv = await startServer({ WF_DB_PATH: join(dir, 'wf.sqlite') }, 'load')
  const org = await createOrg(srv, 'Load Org')
  const key = await createKey(srv, org.id, 'live')
  const H = { 'x-api-key': key.secret }

  // What the clients were told: id -> { acks: Map(version -> record), max, unanswered }
  const known = new Map()
  const ids = []
  const stats = {
    requests: 0,
    byOp: {},
    fiveXX: [],
    unexpected: [],
    transport: [],
    versionBumpErrors: [],
    duplicateVersions: [],
    staleReads: [],
    readMismatch: [],
  }
  const note = (op, status) => {
    stats.requests++
    const o = (stats.byOp[op] ??= {})
    o[status] = (o[status] ?? 0) + 1
  }
  const acknowledge = (record, via) => {
    let k = known.get(record.id)
    if (!k) {
      k = { acks: new Map(), max: 0, unanswered: 0 }
      known.set(record.id, k)
      ids.push(record.id)
    }
    const prev = k.acks.get(record.version)
    if (prev && !jsonEqual(prev, record))
      stats.duplicateVersions.push(`${record.id} v${record.version} acknowledged twice with different content (${via})`)
    k.acks.set(record.version, record)
    k.max = Math.max(k.max, record.version)
  }
  const send = async (op, method, path, opts, expected) => {
    let res
    try {
      res = await request(srv, method, path, { ...opts, timeoutMs: 15_000 })
    } catch (e) {
      stats.transport.push(`${method} ${path}: ${e.code ?? e.message}`)
      note(op, 'error')
      return undefined
    }
    note(op, res.status)
    if (res.status >= 500) stats.fiveXX.push(`${method} ${path} → ${res.status} ${res.text.slice(0, 200)}`)
    else if (!expected.includes(res.status))
      stats.unexpected.push(`${op}: ${method} ${path} ${JSON.stringify(opts.body ?? '')} → ${res.status} ${res.text.slice(0, 200)}`)
    return res
  }

  // The hot workflow every client also fights over.
  const hot = (await send('create', 'POST', '/v1/workflows', { headers: H, body: { name: 'hot', steps: STEP_SETS[0] } }, [201])).json
    .workflow
  acknowledge(hot, 'create')

  let seq = 0
  const deadline = Date.now() + DURATION_MS
  const acked = (op, status) => stats.byOp[op]?.[status] ?? 0
  const client = async (c) => {
    for (let extra = 0; extra < EXTRA_OPS; ) {
      let r = Math.random()
      if (Date.now() >= deadline) {
        // Time is up: only what the minimum counts still need.
        if (acked('create', 201) < MIN_CREATES) r = 0
        else if (acked('patch', 200) < MIN_PATCHES) r = 0.7
        else break
        extra++
      }
      const n = seq++
      if (r < 0.3 || ids.length < 5) {
        const body = { name: `load ${c}-${n}`, steps: pick(STEP_SETS) }
        const res = await send('create', 'POST', '/v1/workflows', { headers: { ...H, 'idempotency-key': `load-${n}` }, body }, [201])
        if (res?.status === 201) acknowledge(res.json.workflow, 'create')
      } else if (r < 0.5) {
        const id = pick(ids)
        const before = known.get(id).max
        const res = await send('read', 'GET', `/v1/workflows/${id}`, { headers: H }, [200])
        if (res?.status === 200) {
          const w = res.json.workflow
          if (w.version < before) stats.staleReads.push(`${id}: read v${w.version} after v${before} was acknowledged`)
          const acked = known.get(id).acks.get(w.version)
          if (acked && !jsonEqual(acked, w))
            stats.readMismatch.push(
              `${id} v${w.version}: read ${JSON.stringify(w).slice(0, 200)} but acknowledged ${JSON.stringify(acked).slice(0, 200)}`,
            )
        }
      } else if (r < 0.6) {
        const status = pick(['', '&status=active', '&status=archived'])
        await send('list', 'GET', `/v1/workflows?limit=${1 + Math.floor(Math.random() * 50)}${status}`, { headers: H }, [200])
      } else if (r < 0.93) {
        const id = Math.random() < 0.4 ? hot.id : pick(ids)
        const cur = await send('read', 'GET', `/v1/workflows/${id}`, { headers: H }, [200])
        if (cur?.status !== 200) continue
        const v = cur.json.workflow.version
        const body = Math.random() < 0.7 ? { name: `upd ${c}-${n}` } : { name: `upd ${c}-${n}`, steps: pick(STEP_SETS) }
        const res = await send('patch', 'PATCH', `/v1/workflows/${id}`, { headers: { ...H, 'if-match': `"${v}"` }, body }, [200, 412, 409])
        if (res?.status === 200) {
          const w = res.json.workflow
          if (w.version !== v + 1) stats.versionBumpErrors.push(`${id}: If-Match "${v}" succeeded with version ${w.version}`)
          acknowledge(w, 'patch')
        } else if (res === undefined) known.get(id).unanswered++
      } else {
        const id = pick(ids)
        if (id === hot.id) continue
        const cur = await send('read', 'GET', `/v1/workflows/${id}`, { headers: H }, [200])
        if (cur?.status !== 200) continue
        const w0 = cur.json.workflow
        const res = await send('archive', 'DELETE', `/v1/workflows/${id}`, { headers: { ...H, 'if-match': `"${w0.version}"` } }, [200, 412])
        if (res?.status === 200) {
          const w = res.json.workflow
          const expectedVersion = w0.status === 'archived' ? w0.version : w0.version + 1
          if (w.status !== 'archived' || w.version !== expectedVersion)
            stats.versionBumpErrors.push(`${id}: archive at v${w0.version} (${w0.status}) answered v${w.version} ${w.status}`)
          acknowledge(w, 'archive')
        } else if (res === undefined) known.get(id).unanswered++
      }
    }
  }
  const t0 = Date.now()
  try {
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)))
    const loadSeconds = (Date.now() - t0) / 1000

    // Contended If-Match updates of one workflow: exactly one winner per round, +1 each.
    const contention = []
    let wins = 0
    let losers412 = 0
    for (let round = 0; round < CONTENTION_ROUNDS; round++) {
      const cur = (await send('read', 'GET', `/v1/workflows/${hot.id}`, { headers: H }, [200])).json.workflow
      const results = await Promise.all(
        Array.from({ length: CONTENDERS }, (_, i) =>
          send(
            'contend',
            'PATCH',
            `/v1/workflows/${hot.id}`,
            { headers: { ...H, 'if-match': `"${cur.version}"` }, body: { name: `round ${round} contender ${i}` } },
            [200, 412],
          ),
        ),
      )
      const ok = results.filter((r) => r?.status === 200)
      const lost = results.filter((r) => r?.status === 412)
      wins += ok.length
      losers412 += lost.length
      for (const r of ok) acknowledge(r.json.workflow, 'contend')
      if (ok.length !== 1 || lost.length !== CONTENDERS - 1 || ok[0].json.workflow.version !== cur.version + 1) {
        contention.push(
          `round ${round} at v${cur.version}: ${ok.length} × 200 (versions ${ok.map((r) => r.json.workflow.version).join(',')}), ${lost.length} × 412`,
        )
      }
    }

    const total = stats.requests
    addFigure('requests sent', total)
    const creates = stats.byOp.create?.[201] ?? 0
    const patches = stats.byOp.patch?.[200] ?? 0
    const archives = stats.byOp.archive?.[200] ?? 0

    const opLine = Object.entries(stats.byOp)
      .map(
        ([op, s]) =>
          `${op} ${Object.entries(s)
            .map(([k, v]) => `${k}:${v}`)
            .join('/')}`,
      )
      .join('; ')
    process.stdout.write(
      `  load: ${CLIENTS} clients for ${loadSeconds.toFixed(1)} s, ${total} requests (${(total / loadSeconds).toFixed(0)}/s): ${opLine}\n`,
    )

    check(
      PART,
      `mixed load ran with ~20 clients (≥ ${MIN_CREATES} creates and ≥ ${MIN_PATCHES} If-Match updates acknowledged, past ${DURATION_MS / 1000} s if need be)`,
      creates >= MIN_CREATES && patches >= MIN_PATCHES,
      `${creates} creates, ${patches} If-Match updates, ${archives} archives acknowledged in ${loadSeconds.toFixed(1)} s`,
    )
    check(
      PART,
      'zero 5xx',
      stats.fiveXX.length === 0,
      stats.fiveXX.length ? `${stats.fiveXX.length}; e.g. ${stats.fiveXX.slice(0, 3).join(' | ')}` : `0 of ${total}`,
    )
    check(
      PART,
      'no unexpected status, no dropped connection',
      stats.unexpected.length === 0 && stats.transport.length === 0,
      [...stats.unexpected.slice(0, 3), ...stats.transport.slice(0, 3)].join(' | '),
    )
    check(
      PART,
      'every If-Match success bumps the version by exactly one',
      stats.versionBumpErrors.length === 0 && stats.duplicateVersions.length === 0,
      [...stats.versionBumpErrors, ...stats.duplicateVersions].slice(0, 3).join(' | '),
    )
    check(
      PART,
      'reads never go back before an acknowledged version and match it',
      stats.staleReads.length === 0 && stats.readMismatch.length === 0,
      [...stats.staleReads, ...stats.readMismatch].slice(0, 3).join(' | '),
    )
    check(
      PART,
      `concurrent If-Match updates: one winner (+1) and ${CONTENDERS - 1} × 412 per round`,
      contention.length === 0,
      contention.length ? contention.slice(0, 3).join(' | ') : `${CONTENTION_ROUNDS} rounds: ${wins} wins, ${losers412} × 412`,
    )

    // Afterwards: each workflow holds its latest acknowledged write, its history has every
    // version once and agrees with every acknowledgement; the list walk returns each once.
    const finalProblems = []
    const historyProblems = []
    let checkedAcks = 0
    const queue = [...known.entries()]
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let item = queue.pop(); item; item = queue.pop()) {
          const [id, k] = item
          const cur = await send('verify', 'GET', `/v1/workflows/${id}`, { headers: H }, [200])
          if (cur?.status !== 200) {
            finalProblems.push(`${id}: ${cur?.status}`)
            continue
          }
          const w = cur.json.workflow
          if (k.unanswered === 0 ? !jsonEqual(w, k.acks.get(k.max)) : w.version < k.max) {
            finalProblems.push(
              `${id}: holds v${w.version} ${JSON.stringify(w).slice(0, 160)}, latest acknowledged v${k.max} ${JSON.stringify(k.acks.get(k.max)).slice(0, 160)}`,
            )
          }
          const hist = await send('verify', 'GET', `/v1/workflows/${id}/versions`, { headers: H }, [200])
          if (hist?.status !== 200) {
            historyProblems.push(`${id}: versions → ${hist?.status}`)
            continue
          }
          const versions = hist.json.versions
          const numbers = versions.map((v) => v.version)
          const expected = Array.from({ length: w.version }, (_, i) => w.version - i)
          if (!jsonEqual(numbers, expected)) historyProblems.push(`${id}: history ${numbers.join(',')} for current v${w.version}`)
          const byNumber = new Map(versions.map((v) => [v.version, v]))
          for (const [n, rec] of k.acks) {
            checkedAcks++
            const h = byNumber.get(n)
            if (!h || h.name !== rec.name || h.status !== rec.status || !jsonEqual(h.steps, rec.steps)) {
              historyProblems.push(
                `${id} v${n}: history ${JSON.stringify(h).slice(0, 160)} vs acknowledged ${JSON.stringify(rec).slice(0, 160)}`,
              )
            }
          }
        }
      }),
    )
    addFigure('load: acknowledged versions', checkedAcks)
    addFigure('load: acknowledged versions found', checkedAcks - historyProblems.length)
    check(
      PART,
      'every acknowledged workflow holds its latest acknowledged write',
      finalProblems.length === 0,
      finalProblems.length
        ? `${finalProblems.length} of ${known.size}; e.g. ${finalProblems.slice(0, 3).join(' | ')}`
        : `${known.size} workflows`,
    )
    check(
      PART,
      'version histories: no gap, no duplicate, each acknowledged version as acknowledged',
      historyProblems.length === 0,
      historyProblems.length
        ? `${historyProblems.length}; e.g. ${historyProblems.slice(0, 3).join(' | ')}`
        : `${checkedAcks} acknowledged versions found in the histories`,
    )

    addFigure('5xx seen', stats.fiveXX.length)
    addFigure('requests sent', stats.requests - total)
    const walked = await listAll(srv, key.secret, 25)
    const counts = new Map()
    for (const w of walked) counts.set(w.id, (counts.get(w.id) ?? 0) + 1)
    const twice = [...counts.entries()].filter(([, n]) => n > 1)
    const missing = ids.filter((id) => !counts.has(id))
    const extra = [...counts.keys()].filter((id) => !known.has(id))
    check(
      PART,
      'a list walk returns each workflow exactly once',
      twice.length === 0 && missing.length === 0 && extra.length === 0,
      `${walked.length} listed for ${known.size} acknowledged${
        twice.length
          ? `; twice: ${twice
              .slice(0, 3)
              .map(([id]) => id)
              .join(',')}`
          : ''
      }${missing.length ? `; missing: ${missing.slice(0, 3).join(',')}` : ''}${extra.length ? `; never acknowledged: ${extra.length}` : ''}`,
    )
  } finally {
    const r = await srv.stop('SIGTERM')
    check(PART, 'server stops cleanly on SIGTERM after the load', r.code === 0, `exit ${r.code ?? r.signal}`)
  }
}
