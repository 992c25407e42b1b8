// Part: replicas on one PostgreSQL database. Two Node server processes share one fresh database
// (each run makes its own, `wf_rel_<random>`, and drops it at the end) and a rate limit in Redis
// or PostgreSQL:
//
//   1. a write load split over both (creates with Idempotency-Keys, If-Match updates), SIGKILL of
//      one of them mid-load, the load going on against the other; then every acknowledged write is
//      on the survivor as acknowledged, retrying every create creates it at most once, versions are
//      consecutive from 1, and the killed replica, restarted, serves the same data;
//   2. a key revoked through one replica's admin API is refused by the other at once;
//   3. a rate-limit storm over both replicas, with the Redis store and with the PostgreSQL one: the
//      successes of one key stay within burst + rps·t + 1 across the pair, and exceed burst.
//
// Needs PostgreSQL (WF_TEST_DATABASE_URL) and Redis (WF_TEST_REDIS_URL). When one is unreachable
// the part records one failing check naming them, or a skipped note with WF_REL_SKIP_SERVICES=1.
// Decided by counts (acknowledged writes, requests per storm client); time limits only catch hangs.

import http from 'node:http'
import { connect } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { DEFAULT_TEST_DATABASE_URL, postgresForTests, redactUrl } from '@wf/storage/testing'
import { createKey, createOrg, listAll, revokeKey } from './admin.mjs'
import { request } from './http.mjs'
import { STEP_SETS } from './load.mjs'
import { addFigure, bound, check, figures, jsonEqual } from './report.mjs'
import { sleep, startServer } from './servers.mjs'

const PART = 'replicas'
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379'

// The load: CLIENTS clients, alternately on A and B; A is killed once MIN_ACKED writes are
// acknowledged, then the clients go on against B until AFTER_KILL more are. LOAD_LIMIT_MS only
// stops a hang (the checks then fail on the counts).
const CLIENTS = 16
const MIN_ACKED = bound(1500, 300)
const AFTER_KILL = bound(400, 100)
const LOAD_LIMIT_MS = 60_000
const UPDATE_SHARE = 0.35
const VERIFY_PARALLEL = 8
// Revocation: requests after the revoke, alternately on B and A.
const AFTER_REVOKE = bound(20, 10)
// The storms: a tight limit; STORM_CLIENTS clients each send exactly STORM_REQUESTS requests,
// alternately to A and B, STORM_GAP_MS apart, so a storm lasts at least STORM_REQUESTS × gap
// however fast the machine (time for the bucket to refill) and sends a fixed number of requests.
// The gap keeps the offered load (≤ clients / gap, 400/s) under what two replicas on two cores
// serve: a replica whose event loop lags past the limiter's 1 s timeout decides in process by
// design (FallbackRateLimiter), which tests overload, not the shared bucket; the storm's checks
// report any such fallback from the servers' logs.
const STORM_RPS = 5
const STORM_BURST = 10
const STORM_CLIENTS = bound(16, 10)
const STORM_REQUESTS = bound(100, 40)
const STORM_GAP_MS = 40

const NAME = /^rep-(\d+)(?: |$)/
const createBody = (i) => ({ name: `rep-${i}`, steps: STEP_SETS[i % STEP_SETS.length] })
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)]
const sample = (xs, n = 3) => xs.slice(0, n).join(' | ')

// ---------------------------------------------------------------------------------------------
// The services: reachability, and the run's own database
// ---------------------------------------------------------------------------------------------

/** '' when Redis at `url` answers PING with PONG (after AUTH when the URL has a password), else why not. */
function redisProblem(url, timeoutMs = 3000) {
  let u
  try {
    u = new URL(url)
  } catch {
    return Promise.resolve('not a URL')
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return Promise.resolve(`${u.protocol}// is not redis:// or rediss://`)
  const resp = (args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`
  return new Promise((resolve) => {
    const port = Number(u.port || 6379)
    const host = u.hostname.replace(/^\[|\]$/g, '')
    const sock = u.protocol === 'rediss:' ? tlsConnect({ port, host, servername: host }) : connect(port, host)
    let answer = ''
    const done = (problem) => {
      clearTimeout(timer)
      sock.destroy()
      resolve(problem)
    }
    const timer = setTimeout(() => done(`no answer in ${timeoutMs / 1000} s`), timeoutMs)
    sock.on('error', (e) => done(describe(e)))
    sock.once(u.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => {
      const commands = []
      const password = decodeURIComponent(u.password)
      if (password) commands.push(u.username ? ['AUTH', decodeURIComponent(u.username), password] : ['AUTH', password])
      commands.push(['PING'])
      sock.write(commands.map(resp).join(''))
    })
    sock.on('data', (d) => {
      answer += d.toString('latin1')
      const error = /^-([^\r\n]*)\r\n/m.exec(answer)
      if (error) done(`Redis answered -${error[1].slice(0, 120)}`)
      else if (answer.includes('+PONG\r\n')) done('')
    })
    sock.on('close', () => done(`connection closed${answer ? ` after ${JSON.stringify(answer.slice(0, 60))}` : ''}`))
  })
}

function describe(e) {
  if (e instanceof AggregateError && !e.message) return e.errors.map(describe).join('; ')
  return String(e?.code ?? e?.message ?? e).replace(/\/\/[^/@\s]*@/g, '//***@')
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

let sent = 0
/** Every request of this part goes through here (counted for the "requests sent" figure). */
function call(srv, method, path, opts = {}) {
  sent++
  return request(srv, method, path, { timeoutMs: 10_000, ...opts })
}

/** Runs `fn` over `items`, `n` at a time. */
async function inParallel(items, n, fn) {
  const queue = [...items]
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item)
    }),
  )
}

/** Two replicas on the same database, started at the same time (both migrate at once). */
async function startPair(env, label) {
  const started = await Promise.allSettled([startServer(env, `${label}-a`), startServer(env, `${label}-b`)])
  const [a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined))
  if (!a || !b) {
    await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')])
    const why = started.filter((s) => s.status === 'rejected').map((s) => String(/** @type {PromiseRejectedResult} */ (s).reason?.message))
    throw new Error(`replicas did not start: ${why.join('\n')}`)
  }
  return [a, b]
}

/** A version record of the history agrees with an acknowledged workflow (same version, name, status, steps). */
const sameVersion = (h, w) => h && h.version === w.version && h.name === w.name && h.status === w.status && jsonEqual(h.steps, w.steps)

// ---------------------------------------------------------------------------------------------
// The part
// ---------------------------------------------------------------------------------------------

export async function runReplicas() {
  const redisUrl = process.env.WF_TEST_REDIS_URL || DEFAULT_REDIS_URL
  // The run's own database (@wf/storage/testing), or why there is none: reported by this part's
  // checks below rather than thrown, whatever WF_REQUIRE_SERVICES says.
  const [database, redisProblemText] = await Promise.all([
    postgresForTests({ name: 'rel', env: { ...process.env, WF_REQUIRE_SERVICES: '' } }),
    redisProblem(redisUrl),
  ])
  const pgProblem = database.ok ? '' : database.reason
  if (pgProblem || redisProblemText) {
    if (database.ok) await database.dropDatabase()
    const what = [
      pgProblem ? `PostgreSQL: ${pgProblem}` : '',
      redisProblemText ? `Redis at ${redactUrl(redisUrl)}: ${redisProblemText}` : '',
    ]
      .filter(Boolean)
      .join('; ')
    const needs = `needs PostgreSQL (WF_TEST_DATABASE_URL, default ${DEFAULT_TEST_DATABASE_URL}; a user that may create databases) and Redis (WF_TEST_REDIS_URL, default ${DEFAULT_REDIS_URL})`
    if (process.env.WF_REL_SKIP_SERVICES === '1') {
      process.stdout.write(`  [skip] ${PART}: skipped (WF_REL_SKIP_SERVICES=1): ${needs}; ${what}\n`)
      figures['replicas: skipped'] = `WF_REL_SKIP_SERVICES=1 and ${what}`
      return
    }
    check(
      PART,
      'needs PostgreSQL (WF_TEST_DATABASE_URL) and Redis (WF_TEST_REDIS_URL) reachable',
      false,
      `${what}; ${needs}; set WF_REL_SKIP_SERVICES=1 to skip this part`,
    )
    return
  }

  if (!database.ok) return // (for the type checker: reported above)
  const dbUrl = database.url
  process.stdout.write(`  ${PART}: database ${redactUrl(dbUrl)}, Redis ${redactUrl(redisUrl)}\n`)
  // WF_DB_PATH and the store are set here whatever the environment says: the data is in PostgreSQL.
  const base = { WF_DATABASE_URL: dbUrl, WF_DB_PATH: '', WF_DATABASE_POOL_SIZE: '10' }
  sent = 0
  try {
    await loadKillRestartRevoke({ ...base, WF_REDIS_URL: redisUrl, WF_RATE_LIMIT_STORE: 'redis' })
    for (const store of ['redis', 'postgres']) {
      const env = {
        ...base,
        WF_REDIS_URL: store === 'redis' ? redisUrl : '',
        WF_RATE_LIMIT_STORE: store,
        WF_RATE_LIMIT_RPS: String(STORM_RPS),
        WF_RATE_LIMIT_BURST: String(STORM_BURST),
      }
      await storm(store, env)
    }
  } finally {
    addFigure('requests sent', sent)
    let dropped = ''
    try {
      await database.dropDatabase()
    } catch (e) {
      dropped = describe(e)
    }
    check(PART, "the run's database dropped at the end", dropped === '', dropped || database.database)
  }
}

// ---------------------------------------------------------------------------------------------
// 1 and 3: the load over two replicas, kill -9 of one, the survivor's data, restart, revocation
// ---------------------------------------------------------------------------------------------

async function loadKillRestartRevoke(env) {
  const [a, b] = await startPair(env, 'replicas')
  const servers = { a, b }
  try {
    await loadOn(servers, env)
  } finally {
    // Whatever failed on the way: no replica outlives this (the normal path has stopped them).
    for (const s of [servers.a, servers.b]) if (s.alive()) await s.stop('SIGKILL')
  }
}

/** @param {{ a: any, b: any }} servers the pair; `a` is replaced by its restart */
async function loadOn(servers, env) {
  let { a } = servers
  const { b } = servers
  check(
    PART,
    'two replicas started at the same time on one empty database (both migrating at once)',
    a.alive() && b.alive(),
    `A :${a.port}, B :${b.port}`,
  )
  const org = await createOrg(a, 'Replicas Org')
  const key = await createKey(a, org.id, 'live')
  const H = { 'x-api-key': key.secret }
  const names = { [a.url]: 'A', [b.url]: 'B' }

  /** @type {Array<{ i: number, body: object, via: string, outcome: string, workflow?: any, status?: number }>} */
  const creates = []
  /** id -> { acks: Map(version -> workflow), lost: number } : what the clients were told */
  const known = new Map()
  const updatable = [] // ids of acknowledged creates
  const busy = new Set() // ids with an update in flight: one at a time per workflow
  const uncertain = new Set() // ids with an unanswered update: their version is unknown
  const tally = {
    acked: { A: 0, B: 0 },
    ackedUpdates: 0,
    crossReplica: 0, // acknowledged updates sent to the other replica than the one that acknowledged the version before
    afterKill: 0,
    lost: { A: 0, B: 0 },
    stale: [],
    badBump: [],
    fiveXX: [],
    unexpected: [],
    transportBeforeKill: [],
    transportB: [],
  }
  let killedAt = 0
  let inFlightA = 0
  let stop = false
  const acknowledge = (w) => {
    let k = known.get(w.id)
    if (!k) known.set(w.id, (k = { acks: new Map(), lost: 0, via: '' }))
    k.acks.set(w.version, w)
  }
  const ackedTotal = () => tally.acked.A + tally.acked.B
  /** Sends one request of the load; undefined when no answer came (noted as lost). */
  const send = async (srv, method, path, opts, expected) => {
    const via = names[srv.url]
    if (via === 'A') inFlightA++
    try {
      const res = await call(srv, method, path, opts)
      if (res.status >= 500) tally.fiveXX.push(`${via} ${method} ${path} → ${res.status} ${res.text.slice(0, 160)}`)
      else if (!expected.includes(res.status)) tally.unexpected.push(`${via} ${method} ${path} → ${res.status} ${res.text.slice(0, 160)}`)
      return res
    } catch (e) {
      tally.lost[via]++
      const what = `${via} ${method} ${path}: ${e.code ?? e.message}`
      if (via === 'B') tally.transportB.push(what)
      else if (!killedAt) tally.transportBeforeKill.push(what)
      return undefined
    } finally {
      if (via === 'A') inFlightA--
    }
  }

  let seq = 0
  const t0 = Date.now()
  const client = async (c) => {
    for (let k = 0; !stop; k++) {
      const srv = killedAt || (c + k) % 2 ? b : a
      const via = names[srv.url]
      const candidates = updatable.length ? [pick(updatable), pick(updatable), pick(updatable)] : []
      const id = candidates.find((x) => !busy.has(x) && !uncertain.has(x))
      if (id && Math.random() < UPDATE_SHARE) {
        // An If-Match update on the latest version either replica acknowledged: it must succeed.
        busy.add(id)
        const entry = known.get(id)
        const v = Math.max(...entry.acks.keys())
        const n = seq++
        const name = `${entry.acks.get(1).name} u${n}`
        const body = n % 3 ? { name } : { name, steps: pick(STEP_SETS) }
        const res = await send(srv, 'PATCH', `/v1/workflows/${id}`, { headers: { ...H, 'if-match': `"${v}"` }, body }, [200])
        if (res?.status === 200) {
          const w = res.json.workflow
          if (w.version !== v + 1 || w.name !== body.name)
            tally.badBump.push(`${id}: If-Match "${v}" on ${via} answered v${w.version} ${w.name}`)
          if (entry.via !== via) tally.crossReplica++
          acknowledge(w)
          entry.via = via
          tally.acked[via]++
          tally.ackedUpdates++
          if (killedAt) tally.afterKill++
        } else if (res === undefined) {
          entry.lost++
          uncertain.add(id)
        } else if (res.status === 412 || res.status === 404) {
          tally.stale.push(`${id}: If-Match "${v}" on ${via} → ${res.status} ${res.text.slice(0, 120)}`)
        }
        busy.delete(id)
        continue
      }
      const i = creates.length
      const entry = { i, body: createBody(i), via, outcome: 'lost' }
      creates.push(entry)
      const res = await send(srv, 'POST', '/v1/workflows', { headers: { ...H, 'idempotency-key': `rep-${i}` }, body: entry.body }, [201])
      if (res?.status === 201) {
        Object.assign(entry, { outcome: 'acked', workflow: res.json.workflow })
        acknowledge(res.json.workflow)
        known.get(res.json.workflow.id).via = via
        updatable.push(res.json.workflow.id)
        tally.acked[via]++
        if (killedAt) tally.afterKill++
      } else if (res !== undefined) Object.assign(entry, { outcome: 'refused', status: res.status })
    }
  }
  const running = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)))
  const timeUp = () => Date.now() - t0 > LOAD_LIMIT_MS
  while (ackedTotal() < MIN_ACKED && !timeUp()) await sleep(5)
  while (inFlightA === 0 && !timeUp()) await sleep(1)
  const inFlightAtKill = inFlightA
  const ackedBeforeKill = { ...tally.acked }
  a.process.kill('SIGKILL')
  killedAt = Date.now()
  const exit = await a.exited
  while (tally.afterKill < AFTER_KILL && !timeUp()) await sleep(5)
  stop = true
  await running
  a.agent.destroy()
  const loadSeconds = (Date.now() - t0) / 1000

  const acked = creates.filter((e) => e.outcome === 'acked')
  const lostCreates = creates.filter((e) => e.outcome === 'lost')
  const lostAtKill = tally.lost.A
  process.stdout.write(
    `  ${PART}: ${CLIENTS} clients for ${loadSeconds.toFixed(1)} s: ${creates.length} creates (${acked.length} acknowledged), ${tally.ackedUpdates} updates acknowledged; A killed with ${inFlightAtKill} in flight after ${ackedBeforeKill.A} + ${ackedBeforeKill.B} acknowledged writes on A + B\n`,
  )
  addFigure('replicas: SIGKILL injected', 1)
  addFigure('replicas: writes acknowledged', ackedTotal())
  addFigure('replicas: lost at the kill', lostAtKill)
  check(
    PART,
    `load over A and B; A killed by SIGKILL mid-load after ≥ ${MIN_ACKED} acknowledged writes (creates with Idempotency-Keys, If-Match updates)`,
    exit.signal === 'SIGKILL' &&
      inFlightAtKill > 0 &&
      ackedBeforeKill.A + ackedBeforeKill.B >= MIN_ACKED &&
      ackedBeforeKill.A > 0 &&
      ackedBeforeKill.B > 0,
    `${ackedBeforeKill.A} acknowledged by A and ${ackedBeforeKill.B} by B before the kill, ${inFlightAtKill} requests in flight on A at the kill (${lostAtKill} without an answer: lost/uncertain), exit ${exit.signal ?? exit.code}`,
  )
  check(
    PART,
    `B kept serving through the kill: ≥ ${AFTER_KILL} more writes acknowledged on B alone; no 5xx, no unexpected status, no dropped connection on B`,
    tally.afterKill >= AFTER_KILL &&
      tally.fiveXX.length === 0 &&
      tally.unexpected.length === 0 &&
      tally.transportB.length === 0 &&
      tally.transportBeforeKill.length === 0,
    `${tally.afterKill} acknowledged after the kill${[...tally.fiveXX, ...tally.unexpected, ...tally.transportB, ...tally.transportBeforeKill].length ? `; ${sample([...tally.fiveXX, ...tally.unexpected, ...tally.transportB, ...tally.transportBeforeKill])}` : ''}`,
  )
  addFigure('5xx seen', tally.fiveXX.length)
  check(
    PART,
    'every If-Match update on a version either replica acknowledged succeeds with version + 1 (no 412 or 404 from the other replica)',
    tally.stale.length === 0 && tally.badBump.length === 0 && tally.ackedUpdates > 0,
    tally.stale.length || tally.badBump.length
      ? `${tally.stale.length} stale, ${tally.badBump.length} wrong; e.g. ${sample([...tally.stale, ...tally.badBump])}`
      : `${tally.ackedUpdates} updates acknowledged, ${tally.crossReplica} of them by the other replica than the one that acknowledged the version before`,
  )

  // On B: every acknowledged write as acknowledged; the histories.
  const current = new Map() // id -> workflow as B holds it
  const histories = new Map() // id -> [version numbers]
  const createProblems = []
  const updateProblems = []
  const historyProblems = []
  let createsFound = 0
  let updatesFound = 0
  const readBack = async (srv, id) => {
    const cur = await call(srv, 'GET', `/v1/workflows/${id}`, { headers: H })
    const hist = await call(srv, 'GET', `/v1/workflows/${id}/versions`, { headers: H })
    if (cur.status !== 200 || hist.status !== 200) {
      historyProblems.push(`${id}: GET ${cur.status}, versions ${hist.status}`)
      return undefined
    }
    const w = cur.json.workflow
    current.set(id, w)
    const versions = hist.json.versions
    const numbers = versions.map((v) => v.version)
    histories.set(id, numbers)
    const expected = Array.from({ length: w.version }, (_, n) => w.version - n)
    if (!jsonEqual(numbers, expected)) historyProblems.push(`${id}: versions ${numbers.join(',')} for current v${w.version}`)
    return { w, byNumber: new Map(versions.map((v) => [v.version, v])) }
  }
  await inParallel([...known.entries()], VERIFY_PARALLEL, async ([id, k]) => {
    const got = await readBack(b, id)
    const latest = Math.max(...k.acks.keys())
    for (const [n, rec] of k.acks) {
      const ok = got !== undefined && sameVersion(got.byNumber.get(n), rec) && got.w.version >= latest
      if (n === 1) {
        // The create, exactly: the whole workflow when nothing was written after it.
        const exact = ok && (k.acks.size > 1 || k.lost > 0 || jsonEqual(got.w, rec))
        if (exact) createsFound++
        else
          createProblems.push(`${id}: acknowledged ${JSON.stringify(rec).slice(0, 160)}; B holds ${JSON.stringify(got?.w).slice(0, 160)}`)
      } else if (ok) updatesFound++
      else updateProblems.push(`${id} v${n}: acknowledged ${rec.name}; B: ${JSON.stringify(got?.byNumber.get(n) ?? null).slice(0, 160)}`)
    }
    // The latest acknowledged write is what B holds, unless an unanswered update came after it.
    if (got && k.lost === 0 && !jsonEqual(got.w, k.acks.get(latest)))
      updateProblems.push(`${id}: B holds v${got.w.version}, latest acknowledged v${latest} with nothing sent after it`)
  })
  addFigure('replicas: acked writes found', createsFound + updatesFound)
  check(
    PART,
    'on B, every acknowledged create is there exactly as acknowledged',
    createProblems.length === 0 && createsFound === acked.length,
    `${createsFound}/${acked.length} found${createProblems.length ? `; ${sample(createProblems)}` : ''}`,
  )
  check(
    PART,
    "on B, every acknowledged update's version is there as acknowledged (and the latest is current)",
    updateProblems.length === 0 && updatesFound === tally.ackedUpdates,
    `${updatesFound}/${tally.ackedUpdates} found${updateProblems.length ? `; ${sample(updateProblems)}` : ''}`,
  )

  // Retry every create on B with its key and body: 201; acknowledged ones replay the same workflow.
  const retryProblems = []
  let replayed = 0
  let createdNow = 0
  await inParallel(creates, VERIFY_PARALLEL, async (e) => {
    let res
    try {
      res = await call(b, 'POST', '/v1/workflows', { headers: { ...H, 'idempotency-key': `rep-${e.i}` }, body: e.body })
    } catch (err) {
      retryProblems.push(`#${e.i}: ${err.code ?? err.message}`)
      return
    }
    if (res.status !== 201) {
      retryProblems.push(`#${e.i} (${e.outcome}): ${res.status} ${res.text.slice(0, 160)}`)
      return
    }
    const isReplay = res.headers['idempotent-replayed'] === 'true'
    if (isReplay) replayed++
    else createdNow++
    if (e.outcome === 'acked' && (!isReplay || !jsonEqual(res.json.workflow, e.workflow)))
      retryProblems.push(
        `#${e.i} acknowledged as ${e.workflow.id}, the retry answered ${isReplay ? 'a different replay' : 'a new create'} ${res.json.workflow.id}`,
      )
  })
  const unackedReplayed = replayed - acked.length
  addFigure('replicas: unanswered, committed', Math.max(0, unackedReplayed))
  check(
    PART,
    'retrying every create on B (same Idempotency-Key, same body): 201 or a replay, acknowledged ones replay the same workflow',
    retryProblems.length === 0,
    `${replayed} replayed (${unackedReplayed} of ${lostCreates.length} unanswered had been committed), ${createdNow} created now${retryProblems.length ? `; ${retryProblems.length} problems: ${sample(retryProblems)}` : ''}`,
  )

  // Count the workflows per create key: exactly one each (never a duplicate); histories of all.
  const listedB = await listAll(b, key.secret, 100)
  sent += Math.ceil(listedB.length / 100) + 1
  const perKey = new Map()
  const foreign = []
  for (const w of listedB) {
    const m = NAME.exec(w.name)
    if (!m) foreign.push(w.name)
    else perKey.set(Number(m[1]), (perKey.get(Number(m[1])) ?? 0) + 1)
  }
  const duplicated = [...perKey.entries()].filter(([, n]) => n > 1)
  const missing = creates.filter((e) => !perKey.has(e.i))
  check(
    PART,
    'each create key made at most one workflow (B listed, counted per name): exactly one per key after the retries',
    duplicated.length === 0 && missing.length === 0 && foreign.length === 0 && listedB.length === creates.length,
    `${listedB.length} listed for ${creates.length} Idempotency-Keys${
      duplicated.length
        ? `; duplicated: ${duplicated
            .slice(0, 5)
            .map(([i, n]) => `rep-${i}×${n}`)
            .join(', ')}`
        : ''
    }${
      missing.length
        ? `; missing: ${missing
            .slice(0, 5)
            .map((e) => `rep-${e.i}`)
            .join(', ')}`
        : ''
    }${foreign.length ? `; unknown names: ${foreign.slice(0, 3).join(', ')}` : ''}`,
  )
  await inParallel(
    listedB.filter((w) => !histories.has(w.id)),
    VERIFY_PARALLEL,
    (w) => readBack(b, w.id),
  )
  const versionCount = [...histories.values()].reduce((s, h) => s + h.length, 0)
  check(
    PART,
    'the versions of every workflow are consecutive from 1 (no gap, no duplicate)',
    historyProblems.length === 0 && histories.size === listedB.length,
    historyProblems.length
      ? `${historyProblems.length} wrong: ${sample(historyProblems)}`
      : `${histories.size} workflows, ${versionCount} versions`,
  )

  // A restarted on the same database serves the same data.
  a = servers.a = await startServer(env, 'replicas-a-restarted')
  const differ = []
  await inParallel(listedB, VERIFY_PARALLEL, async (w) => {
    const res = await call(a, 'GET', `/v1/workflows/${w.id}`, { headers: H })
    if (res.status !== 200 || !jsonEqual(res.json.workflow, current.get(w.id)))
      differ.push(`${w.id}: A ${res.status} ${res.text.slice(0, 120)}, B ${JSON.stringify(current.get(w.id)).slice(0, 120)}`)
  })
  const listedA = await listAll(a, key.secret, 100)
  sent += Math.ceil(listedA.length / 100) + 1
  const sameList = jsonEqual(
    listedA.map((w) => w.id),
    listedB.map((w) => w.id),
  )
  check(
    PART,
    'A restarted on the same database serves the same data (every workflow as B holds it, the same list walk)',
    differ.length === 0 && sameList,
    `${listedB.length - differ.length}/${listedB.length} workflows equal${sameList ? ', list walks equal' : `, list walks differ (${listedA.length} vs ${listedB.length})`}${differ.length ? `; ${sample(differ)}` : ''}`,
  )

  // Revocation through A, honoured by B at once.
  try {
    await revocation(a, b, org.id, key.secret)
  } finally {
    const [ra, rb] = await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')])
    check(
      PART,
      'both replicas stop cleanly on SIGTERM',
      ra.code === 0 && rb.code === 0,
      `A exit ${ra.code ?? ra.signal}, B exit ${rb.code ?? rb.signal}`,
    )
  }
}

async function revocation(a, b, orgId, otherSecret) {
  const key = await createKey(a, orgId, 'live')
  const H = { 'x-api-key': key.secret }
  const path = '/v1/workflows?limit=1'
  // In active use on B (several requests, the last answered just before the revoke), and on A.
  const before = []
  for (const srv of [b, a, b, a, b]) before.push((await call(srv, 'GET', path, { headers: H })).status)
  sent++
  await revokeKey(a, key.id)
  const next = await call(b, 'GET', path, { headers: H })
  const later = []
  for (let n = 0; n < AFTER_REVOKE; n++) later.push((await call(n % 2 ? a : b, 'GET', path, { headers: H })).status)
  const laterOk = later.filter((s) => s === 401).length
  const other = []
  for (const srv of [a, b]) other.push((await call(srv, 'GET', path, { headers: { 'x-api-key': otherSecret } })).status)
  const ok = before.every((s) => s === 200) && next.status === 401 && next.json?.code === 'unauthorized' && laterOk === later.length
  figures['replicas: revocation'] =
    `revoked via A after ${before.length} × ${[...new Set(before)].join('/')} (last on B): B's next request ${next.status}, then ${laterOk}/${later.length} × 401 on B and A`
  check(
    PART,
    "a key revoked through A's admin API: B's very next request is 401, and every later one on both",
    ok,
    `before: ${before.join(', ')} (B, A, B, A, B); revoke via A; B next: ${next.status} ${next.json?.code ?? next.text.slice(0, 80)}; later: ${laterOk}/${later.length} × 401${laterOk === later.length ? '' : ` (${later.join(',')})`}`,
  )
  check(
    PART,
    'another key of the organization still works on both after the revocation',
    other.every((s) => s === 200),
    `A ${other[0]}, B ${other[1]}`,
  )
}

// ---------------------------------------------------------------------------------------------
// 2: a rate-limit storm over both replicas, for one store
// ---------------------------------------------------------------------------------------------

async function storm(store, env) {
  const [a, b] = await startPair(env, `replicas-storm-${store}`)
  try {
    const org = await createOrg(a, `Replicas storm ${store}`)
    const key = await createKey(a, org.id, 'live')
    sent += 2
    const targets = [a, b].map((s, n) => ({
      name: n ? 'B' : 'A',
      url: s.url,
      agent: new http.Agent({ keepAlive: true, maxSockets: STORM_CLIENTS + 4 }),
    }))
    const seen = { ok: { A: 0, B: 0 }, limited: 0, badLimited: [], other: [], transport: [] }
    let first = Infinity
    let last = 0
    const client = async (c) => {
      for (let k = 0; k < STORM_REQUESTS; k++) {
        if (k) await sleep(STORM_GAP_MS)
        const t = targets[(c + k) % 2]
        first = Math.min(first, Date.now())
        let res
        try {
          res = await call(t, 'GET', '/v1/workflows?limit=1', { headers: { 'x-api-key': key.secret } })
        } catch (e) {
          seen.transport.push(`${t.name}: ${e.code ?? e.message}`)
          continue
        } finally {
          last = Math.max(last, Date.now())
        }
        if (res.status >= 200 && res.status < 300) seen.ok[t.name]++
        else if (res.status === 429) {
          seen.limited++
          const retry = Number(res.headers['retry-after'])
          if (res.json?.code !== 'rate_limited' || !(Number.isInteger(retry) && retry >= 1))
            seen.badLimited.push(`${t.name}: 429 ${res.json?.code} Retry-After ${res.headers['retry-after']}`)
        } else seen.other.push(`${t.name}: ${res.status} ${res.text.slice(0, 120)}`)
      }
    }
    await Promise.all(Array.from({ length: STORM_CLIENTS }, (_, c) => client(c)))
    for (const t of targets) t.agent.destroy()
    const ok = seen.ok.A + seen.ok.B
    const t = (last - first) / 1000
    const allowed = STORM_BURST + STORM_RPS * t + 1
    const total = STORM_CLIENTS * STORM_REQUESTS
    const line = `${ok} × 2xx (A ${seen.ok.A}, B ${seen.ok.B}) of ${total} in ${t.toFixed(2)} s; bound ${STORM_BURST} + ${STORM_RPS} × ${t.toFixed(2)} + 1 = ${allowed.toFixed(1)}, > ${STORM_BURST}`
    process.stdout.write(
      `  ${PART}: ${store} storm, ${STORM_CLIENTS} clients × ${STORM_REQUESTS} requests on one key over A and B: ${line}\n`,
    )
    figures[`replicas: storm (${store})`] = line
    // The servers say which store they limit with, and log when they fall back to their own buckets.
    const says = (srv) => srv.output().includes(`"rate_limit":"${store}"`)
    const fellBack = (srv) => /rate-limit store unreachable/.test(srv.output())
    /** The server's log lines about the store going away and coming back: how many, and the first. */
    const fallbacks = (srv) => {
      const lines = srv
        .output()
        .split('\n')
        .filter((l) => /rate-limit store (unreachable|back)/.test(l))
      return lines.length ? ` (${lines.length} lines about the store going and coming back; first: ${lines[0].slice(0, 300)})` : ''
    }
    addFigure('5xx seen', seen.other.filter((s) => /^[AB]: 5/.test(s)).length)
    check(
      PART,
      `${store}: ${STORM_CLIENTS} clients on one key over A and B: 2xx ≤ burst + rps·t + 1 and > burst (it refilled)`,
      ok <= allowed && ok > STORM_BURST,
      `${line}${fellBack(a) || fellBack(b) ? ' (the replicas fell back to in-process buckets meanwhile: see below)' : ''}`,
    )
    check(
      PART,
      `${store}: every other answer is 429 rate_limited with Retry-After ≥ 1; no other status, no dropped connection`,
      seen.limited > 0 && seen.badLimited.length + seen.other.length + seen.transport.length === 0,
      `${seen.limited} × 429${seen.badLimited.length + seen.other.length + seen.transport.length ? `; ${sample([...seen.badLimited, ...seen.other, ...seen.transport])}` : ''}`,
    )
    check(
      PART,
      `${store}: both replicas limit through the shared ${store} store (their listening line says so; no fallback to in-process buckets logged)`,
      says(a) && says(b) && !fellBack(a) && !fellBack(b),
      `A: ${says(a) ? store : 'other store'}${fellBack(a) ? `, fell back${fallbacks(a)}` : ''}; B: ${says(b) ? store : 'other store'}${fellBack(b) ? `, fell back${fallbacks(b)}` : ''}`,
    )
  } finally {
    const [ra, rb] = await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')])
    check(
      PART,
      `${store}: both replicas stop cleanly on SIGTERM`,
      ra.code === 0 && rb.code === 0,
      `A exit ${ra.code ?? ra.signal}, B exit ${rb.code ?? rb.signal}`,
    )
  }
}
