// Part 5: rate limits under concurrency. Many parallel clients on one key against a server with
// WF_RATE_LIMIT_RPS=10, WF_RATE_LIMIT_BURST=20 for ~3 s: the successes stay within
// burst + rps × elapsed (+1 for rounding), every 429 is the contract's (Retry-After ≥ 1, the
// RateLimit-* headers), and a second key, used meanwhile, is not affected. Exported for the edge.
// Decided by counts: elapsed is measured, every client sends at least 2 requests and every calm
// key exactly 12, so a slow machine sends fewer storm requests but never too few to decide.
import http from 'node:http'
import { join } from 'node:path'
import { createKey, createOrg } from './admin.mjs'
import { request } from './http.mjs'
import { errorProblem } from './isolation-shared.mjs'
import { addFigure, bound, check } from './report.mjs'
import { sleep, startServer, tempDir } from './servers.mjs'

const PART = 'rate'
export const RPS = 10
export const BURST = 20
export const RATE_ENV = { WF_RATE_LIMIT_RPS: String(RPS), WF_RATE_LIMIT_BURST: String(BURST) }

const intHeader = (v) => (v !== undefined && /^\d+$/.test(String(v)) ? Number(v) : NaN)

/** Requests each calm key sends: all of them, however long they take (spread over the storm). */
export const CALM_REQUESTS = 12
/** Requests each storm client sends even when the storm's time is up (a slow machine): 50 × 2 > burst. */
const MIN_PER_CLIENT = 2

export async function rateStorm(srv, part, { clients = 50, durationMs = bound(3000, 2000), label = '' } = {}) {
  const org = await createOrg(srv, `Rate Org ${label}`)
  const hot = await createKey(srv, org.id, 'live')
  const calm = await createKey(srv, org.id, 'live')
  const other = await createOrg(srv, `Rate Other ${label}`)
  const otherKey = await createKey(srv, other.id, 'live')
  // A dedicated pool: every client its own keep-alive connection.
  const pool = { url: srv.url, agent: new http.Agent({ keepAlive: true, maxSockets: clients + 8 }) }
  const path = '/v1/workflows?limit=1'

  const seen = { ok: 0, limited: 0, other: [], transport: [], badLimited: [], badOk: [] }
  let first = Infinity
  let last = 0
  const deadline = Date.now() + durationMs
  const client = async () => {
    // The storm lasts durationMs, but every client sends at least MIN_PER_CLIENT requests: the
    // lower bounds below (≥ burst successes, some 429s) then rest on counts, not on the speed.
    for (let n = 0; n < MIN_PER_CLIENT || Date.now() < deadline; n++) {
      const sentAt = Date.now()
      first = Math.min(first, sentAt)
      let res
      try {
        res = await request(pool, 'GET', path, { headers: { 'x-api-key': hot.secret }, timeoutMs: 10_000 })
      } catch (e) {
        seen.transport.push(e.code ?? e.message)
        continue
      } finally {
        last = Math.max(last, Date.now())
      }
      const limit = intHeader(res.headers['ratelimit-limit'])
      const remaining = intHeader(res.headers['ratelimit-remaining'])
      const reset = intHeader(res.headers['ratelimit-reset'])
      if (res.status === 200) {
        seen.ok++
        if (limit !== BURST || !(remaining >= 0 && remaining < BURST) || !(reset >= 0))
          seen.badOk.push(
            `200 with RateLimit-Limit ${res.headers['ratelimit-limit']} Remaining ${res.headers['ratelimit-remaining']} Reset ${res.headers['ratelimit-reset']}`,
          )
      } else if (res.status === 429) {
        seen.limited++
        const retry = intHeader(res.headers['retry-after'])
        const p = errorProblem(res, 429, 'rate_limited', 'Rate limit exceeded.')
        if (p || !(retry >= 1) || limit !== BURST || remaining !== 0 || !(reset >= 1)) {
          seen.badLimited.push(
            `${p || '429'}: Retry-After ${res.headers['retry-after']}, RateLimit-Limit ${res.headers['ratelimit-limit']} Remaining ${res.headers['ratelimit-remaining']} Reset ${res.headers['ratelimit-reset']}`,
          )
        }
      } else seen.other.push(`${res.status} ${res.text.slice(0, 120)}`)
    }
  }
  // Meanwhile a second key of the same organization, and a key of another one, well within their
  // limits (12 < burst, so even all at once they fit): exactly CALM_REQUESTS each, spread over the
  // storm. All are sent however slow the machine; how many went during the storm is reported.
  const calmResults = []
  let calmDuringStorm = 0
  const calmClient = async (key) => {
    for (let i = 0; i < CALM_REQUESTS; i++) {
      if (Date.now() < deadline) calmDuringStorm++
      const r = await request(srv, 'GET', path, { headers: { 'x-api-key': key.secret } }).catch((e) => ({ status: e.code }))
      calmResults.push(r.status)
      if (i < CALM_REQUESTS - 1) await sleep(durationMs / CALM_REQUESTS)
    }
  }
  await Promise.all([...Array.from({ length: clients }, client), calmClient(calm), calmClient(otherKey)])
  pool.agent.destroy()
  const elapsed = (last - first) / 1000
  const total = seen.ok + seen.limited + seen.other.length + seen.transport.length
  addFigure('requests sent', total + calmResults.length)
  const allowed = BURST + RPS * elapsed + 1
  process.stdout.write(
    `  ${part}: ${clients} clients on one key for ${elapsed.toFixed(2)} s: ${total} requests, ${seen.ok} × 200, ${seen.limited} × 429; bound ${BURST} + ${RPS} × ${elapsed.toFixed(2)} + 1 = ${allowed.toFixed(1)}\n`,
  )
  check(
    part,
    `${clients} parallel clients on one key: successes ≤ burst + rps × elapsed + 1 (and ≥ burst)`,
    seen.ok <= allowed && seen.ok >= BURST,
    `${seen.ok} × 200 of ${total} in ${elapsed.toFixed(2)} s; bound ${BURST} + ${RPS} × ${elapsed.toFixed(2)} + 1 = ${allowed.toFixed(1)}`,
  )
  check(
    part,
    'every 429 is rate_limited with Retry-After ≥ 1 and RateLimit-Limit/Remaining/Reset; every 200 has RateLimit-*',
    seen.limited > 0 && seen.badLimited.length === 0 && seen.badOk.length === 0,
    `${seen.limited} × 429${seen.badLimited.length ? `, ${seen.badLimited.length} wrong, e.g. ${seen.badLimited[0]}` : ''}${seen.badOk.length ? `; ${seen.badOk.length} 200s wrong, e.g. ${seen.badOk[0]}` : ''}`,
  )
  check(
    part,
    'no other status, no dropped connection, no 5xx',
    seen.other.length === 0 && seen.transport.length === 0,
    [...seen.other.slice(0, 3), ...seen.transport.slice(0, 3)].join(' | '),
  )
  addFigure('5xx seen', seen.other.filter((s) => /^5/.test(s)).length)
  check(
    part,
    "a second key (same organization) and another organization's key, used meanwhile, are not affected",
    calmResults.length === 2 * CALM_REQUESTS && calmResults.every((s) => s === 200),
    `${calmResults.length} of ${2 * CALM_REQUESTS} requests (${calmDuringStorm} sent during the storm): ${[...new Set(calmResults)].join(', ')}`,
  )
  // After the storm the key recovers: wait what Retry-After says, then it is allowed again.
  await sleep(1100)
  const again = await request(srv, 'GET', path, { headers: { 'x-api-key': hot.secret } })
  addFigure('requests sent', 1)
  check(part, 'after Retry-After the key is allowed again', again.status === 200, `${again.status}`)
  return { ok: seen.ok, limited: seen.limited, elapsed, allowed, total }
}

export const rateNote = {}

export async function runRateLimits() {
  const dir = tempDir('wf-rel-rate-')
  const srv = await startServer({ WF_DB_PATH: join(dir, 'wf.sqlite'), ...RATE_ENV }, 'rate')
  try {
    const r = await rateStorm(srv, PART, { clients: 50, label: 'node' })
    rateNote.node = `${r.ok} successes of ${r.total} requests in ${r.elapsed.toFixed(2)} s (bound ${r.allowed.toFixed(1)})`
  } finally {
    const r = await srv.stop('SIGTERM')
    check(PART, 'server stops cleanly on SIGTERM', r.code === 0, `exit ${r.code ?? r.signal}`)
  }
}
