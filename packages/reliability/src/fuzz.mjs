// Part 1: property-based HTTP fuzzing of every endpoint of the real server process.
// Bodies are generated from @wf/core's TypeBox schemas, then mutated; headers, methods and paths
// are random too. Every answer must be a contract success or a contract error (never a 5xx, never
// an error body outside core's ErrorBody schema); the server must stay up with bounded memory.
// The inputs are in fuzz-inputs.mjs; here they are run against a target and the answers judged.

import { join } from 'node:path'
import { ERROR_CATALOGUE, ErrorBody } from '@wf/core'
import fc from 'fast-check'
import { Compile } from 'typebox/compile'
import { createKey, createOrg, revokeKey } from './admin.mjs'
import { arbitraries, describeInput, encodeBody, headersOf, MAX_BODY } from './fuzz-inputs.mjs'
import { request } from './http.mjs'
import { addFigure, bound, check } from './report.mjs'
import { rssKiB, sleep, startServer, tempDir } from './servers.mjs'

const PART = 'fuzz'
const TIME_LIMIT_MS = Number(process.env.WF_REL_FUZZ_MS ?? bound(40_000, 8_000))
const RUNS_PER_WORKER = Number(process.env.WF_REL_FUZZ_RUNS ?? bound(20_000, 500))
const WORKERS = 4
const CONTRACT_STATUSES = new Set([200, 201, 400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 429])
const RSS_GROWTH_LIMIT_KIB = 64 * 1024
/**
 * Only against a hang: the fuzzing stops at its time limit once `minTried` inputs are done, and
 * goes on past it until they are (a slow machine takes longer, it does not test less).
 */
const HANG_GUARD_MS = (timeMs) => Math.max(90_000, 4 * timeMs)
/** Health probes wait this long: the fuzz requests' own timeout (a bound against a hang, not a speed). */
const HEALTH_TIMEOUT_MS = 15_000

const checkErrorBody = Compile(ErrorBody)

export async function runFuzz() {
  const dir = tempDir('wf-rel-fuzz-')
  const srv = await startServer({ WF_DB_PATH: join(dir, 'wf.sqlite') }, 'fuzz')
  try {
    return await fuzzTarget(srv, {
      part: PART,
      timeMs: TIME_LIMIT_MS,
      runsPerWorker: RUNS_PER_WORKER,
      minTried: bound(2000, 1000),
      node: true,
      figure: 'fuzz: inputs tried',
    })
  } finally {
    const r = await srv.stop('SIGTERM')
    check(PART, 'server stops cleanly on SIGTERM after fuzzing', r.code === 0, `exit ${r.code ?? r.signal}`)
  }
}

/**
 * The fuzzing itself, against any running target {url, agent} (the Node server, or the edge app
 * in workerd: `node: false` leaves out what only a local Node process has, its memory).
 * @param {import('./http.mjs').Target & { pid?: number, alive?: () => boolean }} srv with `node: true`, a Node server: its pid and alive() too
 * @param {object} opts
 * @param {string} opts.part
 * @param {number} opts.timeMs
 * @param {number} opts.runsPerWorker
 * @param {number} opts.minTried
 * @param {boolean} opts.node
 * @param {string} opts.figure
 * @param {number} [opts.workers]
 * @param {(res: import('./http.mjs').HttpResponse, input: any) => 'refused' | 'restart' | undefined} [opts.platformRefusal]
 *   an answer of the platform (not the app) to count apart rather than judge
 */
export async function fuzzTarget(srv, { part, timeMs, runsPerWorker, minTried, node, figure, workers = WORKERS, platformRefusal }) {
  const PART = part
  const TIME_LIMIT_MS = timeMs
  const RUNS_PER_WORKER = runsPerWorker
  const started = Date.now()
  {
    // Context: two organizations, live/sandbox/revoked keys, some workflows, real cursors.
    const org = await createOrg(srv, 'Fuzz Org')
    const other = await createOrg(srv, 'Other Org')
    const live = await createKey(srv, org.id, 'live')
    const sandbox = await createKey(srv, org.id, 'sandbox')
    const revoked = await createKey(srv, org.id, 'live')
    await revokeKey(srv, revoked.id)
    const otherLive = await createKey(srv, other.id, 'live')
    const mk = async (key, name) => {
      const r = await request(srv, 'POST', '/v1/workflows', {
        headers: { 'x-api-key': key },
        body: { name, steps: [{ id: 'ID_VERIFICATION' }, { id: 'FACE_LIVENESS' }] },
      })
      if (r.status !== 201) throw new Error(`seed create: ${r.status} ${r.text}`)
      return r.json.workflow.id
    }
    const wfIds = []
    for (let i = 0; i < 6; i++) wfIds.push(await mk(live.secret, `seed ${i}`))
    const archivedId = await mk(live.secret, 'archived seed')
    await request(srv, 'DELETE', `/v1/workflows/${archivedId}`, { headers: { 'x-api-key': live.secret } })
    const otherWfId = await mk(otherLive.secret, 'other org seed')
    const cursors = []
    let cur = null
    for (let i = 0; i < 3; i++) {
      const r = await request(srv, 'GET', `/v1/workflows?limit=2${cur ? `&cursor=${cur}` : ''}`, { headers: { 'x-api-key': live.secret } })
      cur = r.json.next_cursor
      if (cur) cursors.push(cur)
    }
    const ctx = {
      live: live.secret,
      sandbox: sandbox.secret,
      revoked: revoked.secret,
      otherLive: otherLive.secret,
      revokedKeyId: revoked.id,
      orgId: org.id,
      otherOrgId: other.id,
      wfIds,
      archivedId,
      otherWfId,
      cursors: cursors.length ? cursors : ['AAAA'],
      adminToken: (await import('./servers.mjs')).ADMIN_TOKEN,
    }
    const inputArb = arbitraries(ctx)

    // Figures and violations (the smallest example of each kind is kept).
    const stats = {
      tried: 0,
      sent: 0,
      clientRefused: 0,
      resetOnOversize: 0,
      byStatus: new Map(),
      parserRejected: new Map(),
      platform: new Map(),
    }
    const violations = new Map() // kind -> { count, example }
    const violate = (kind, input, bodyBuf, detail) => {
      const desc = `${describeInput(input, bodyBuf)} → ${detail}`
      const v = violations.get(kind)
      if (!v) violations.set(kind, { count: 1, example: desc, all: [desc] })
      else {
        v.count++
        if (v.all.length < 40) v.all.push(desc)
        if (desc.length < v.example.length) v.example = desc
      }
    }

    // Memory by count (every rssStep inputs, so the warm-up point is a number of inputs, not a
    // time), and liveness, sampled alongside the fuzzing.
    const rss = []
    const rssStep = Math.max(1, Math.floor(minTried / 20))
    let healthFailures = 0
    let healthChecks = 0
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        healthChecks++
        try {
          const h = await request(srv, 'GET', '/health', { timeoutMs: HEALTH_TIMEOUT_MS })
          if (h.status !== 200) healthFailures++
        } catch {
          healthFailures++
        }
        await sleep(500)
      }
    })()

    const deadline = Date.now() + TIME_LIMIT_MS
    const property = fc.asyncProperty(inputArb, async (input) => {
      if (Date.now() > deadline && stats.tried >= minTried) return true
      stats.tried++
      if (node && stats.tried % rssStep === 0) rss.push({ t: Date.now() - started, kib: rssKiB(srv.pid), tried: stats.tried })
      const bodyBuf = encodeBody(input.body)
      const headers = headersOf(input)
      const chunked = 'transfer-encoding' in input.extra && bodyBuf !== undefined
      if (chunked) headers['transfer-encoding'] = 'chunked'
      const bodyLen = bodyBuf === undefined ? 0 : Buffer.byteLength(bodyBuf)
      let res
      try {
        const exotic = !['GET', 'POST', 'PATCH', 'DELETE'].includes(input.method)
        res = await request(exotic ? { url: srv.url, agent: false } : srv, input.method, input.path, {
          headers,
          body: bodyBuf,
          timeoutMs: 15_000,
        })
      } catch (e) {
        if (e.clientSide || e.code === 'ERR_INVALID_CHAR' || e.code === 'ERR_INVALID_HTTP_TOKEN' || e.code === 'ERR_UNESCAPED_CHARACTERS') {
          stats.clientRefused++ // Node's client will not send it: nothing reached the server
          return true
        }
        if ((e.code === 'ECONNRESET' || e.code === 'EPIPE') && bodyLen > MAX_BODY) {
          stats.resetOnOversize++ // answered 413 and closed while we were still sending
          stats.sent++
          return true
        }
        stats.sent++
        if (e.reusedSocket && e.previous && e.previous.bodyLength > MAX_BODY) {
          violate(
            'reset after a 413 on a keep-alive connection',
            input,
            bodyBuf,
            `${e.code}: the previous request on this socket (${Date.now() - e.previous.at} ms before) was ${e.previous.method} ${e.previous.path} with a ${e.previous.bodyLength}-byte body`,
          )
          return true
        }
        if (!['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS'].includes(input.method)) {
          // A method token outside Node's parser's list is refused with a bare 400 and the socket
          // is closed at once; a body still being written then meets a reset. Same defect.
          stats.parserRejected.set(input.method, (stats.parserRejected.get(input.method) ?? 0) + 1)
          violate('bare 400 from the HTTP parser', input, bodyBuf, `${e.code} while sending the body (the parser refused the request line)`)
          return true
        }
        violate(
          `transport error ${e.code ?? e.message}`,
          input,
          bodyBuf,
          `${e.message}${e.reusedSocket ? ' (on a reused keep-alive socket)' : ' (on a new connection)'}${chunked ? ' (chunked body)' : ''}${e.previous ? ` previous on this socket ${Date.now() - e.previous.at} ms before: ${JSON.stringify(e.previous)}` : ''}`,
        )
        return true
      }
      stats.sent++
      stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1)
      const platform = platformRefusal?.(res, input)
      if (platform === 'refused') {
        // Refused by the platform before the app saw it (workerd: 501 for an unknown method).
        stats.platform.set(`${res.status} ${input.method}`, (stats.platform.get(`${res.status} ${input.method}`) ?? 0) + 1)
        return true
      }
      if (platform === 'restart') {
        // The local runtime restarted under the request (miniflare's 503, or its 500 when it
        // cannot retry a request whose body was used): not the app's answer, but a failure.
        violate('runtime restarted mid-request', input, bodyBuf, `${res.status} ${res.text.slice(0, 160)}`)
        return true
      }
      if (res.status === 400 && !res.headers['x-request-id'] && res.body.length === 0) {
        // Node's HTTP parser refused the request before the app saw it (bare 400, no body).
        stats.parserRejected.set(input.method, (stats.parserRejected.get(input.method) ?? 0) + 1)
        violate('bare 400 from the HTTP parser', input, bodyBuf, `400 headers=${JSON.stringify(res.headers)} body=(empty)`)
        return true
      }
      if (res.status >= 500) violate(`${res.status} answered`, input, bodyBuf, `${res.status} ${res.text.slice(0, 300)}`)
      else if (!CONTRACT_STATUSES.has(res.status))
        violate(`status ${res.status} outside the contract`, input, bodyBuf, `${res.status} ${res.text.slice(0, 200)}`)
      if (!res.headers['x-request-id']) violate('no x-request-id', input, bodyBuf, `${res.status}`)
      if (input.method.toUpperCase() === 'HEAD') return true
      if (res.status >= 400) {
        const ct = String(res.headers['content-type'] ?? '')
        if (!/^application\/json/i.test(ct))
          violate('error without JSON content type', input, bodyBuf, `${res.status} content-type=${ct} body=${res.text.slice(0, 200)}`)
        if (res.json === undefined || !checkErrorBody.Check(res.json)) {
          violate('error body outside ErrorBody schema', input, bodyBuf, `${res.status} ${res.text.slice(0, 300)}`)
        } else if (ERROR_CATALOGUE[res.json.code]?.status !== res.status) {
          violate('error code does not match status', input, bodyBuf, `${res.status} code=${res.json.code}`)
        } else if (res.json.request_id !== res.headers['x-request-id']) {
          violate('request_id differs from x-request-id', input, bodyBuf, `${res.json.request_id} vs ${res.headers['x-request-id']}`)
        }
      } else if (res.json === undefined) {
        violate('success body not JSON', input, bodyBuf, `${res.status} ${res.text.slice(0, 200)}`)
      }
      return true
    })

    const baseSeed = Number(process.env.WF_REL_SEED ?? Date.now() % 2 ** 31)
    await Promise.all(
      Array.from({ length: workers }, (_, w) =>
        fc.assert(property, {
          numRuns: RUNS_PER_WORKER,
          seed: baseSeed + w,
          interruptAfterTimeLimit: HANG_GUARD_MS(TIME_LIMIT_MS),
          markInterruptAsFailure: false,
          endOnFailure: true,
        }),
      ),
    )
    sampling = false
    await sampler
    const endRss = node ? rssKiB(srv.pid) : NaN
    const finalHealth = await request(srv, 'GET', '/health', { timeoutMs: HEALTH_TIMEOUT_MS }).catch((e) => ({ status: `error ${e.code}` }))

    // Checks
    addFigure(figure, stats.tried)
    addFigure('requests sent', stats.sent + healthChecks)
    const statusLine = [...stats.byStatus.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}:${n}`)
      .join(' ')
    process.stdout.write(
      `  ${PART}: seed ${baseSeed}, ${stats.tried} inputs tried, ${stats.sent} sent, ${stats.clientRefused} refused by Node's client, ${stats.resetOnOversize} oversize bodies cut off by the server; statuses ${statusLine}\n`,
    )
    check(
      PART,
      `inputs tried ≥ ${minTried} (past the ${TIME_LIMIT_MS / 1000} s limit if need be; hang guard ${HANG_GUARD_MS(TIME_LIMIT_MS) / 1000} s)`,
      stats.tried >= minTried,
      `${stats.tried} inputs in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${baseSeed})`,
    )
    const kinds = [...violations.entries()]
    const fiveXX = kinds.filter(([k]) => /^5\d\d answered/.test(k))
    const count = (list) => list.reduce((n, [, v]) => n + v.count, 0)
    addFigure('5xx seen', count(fiveXX))
    if (platformRefusal) {
      const n = [...stats.platform.values()].reduce((a, b) => a + b, 0)
      addFigure(`${PART}: refused by the platform before the app`, n)
      check(
        PART,
        'requests the platform refuses before the app sees them (501 for an unknown method, RFC 9110 §15.6.2)',
        true,
        n ? `${n}: ${[...stats.platform.entries()].map(([k, v]) => `${k}×${v}`).join(', ')}` : 'none',
      )
    }
    if (platformRefusal) {
      const restarts = violations.get('runtime restarted mid-request')
      addFigure(`${PART}: runtime restarts mid-request`, restarts?.count ?? 0)
      check(
        PART,
        'the local runtime (workerd under wrangler dev) never restarted mid-request',
        !restarts,
        restarts ? `${restarts.count} requests answered by miniflare instead of the app, e.g. ${restarts.all.slice(0, 3).join(' | ')}` : '',
      )
    }
    check(
      PART,
      'never a 5xx from the app',
      fiveXX.length === 0,
      fiveXX.length ? `${count(fiveXX)} 5xx; e.g. ${fiveXX[0][1].example}` : `0 of ${stats.sent}`,
    )
    const bodyKinds = kinds.filter(([k]) => /ErrorBody|JSON content type|code does not match|request_id|success body/.test(k))
    check(
      PART,
      'every error body matches ErrorBody (JSON, code ↔ status)',
      bodyKinds.length === 0,
      bodyKinds.map(([k, v]) => `${k} ×${v.count}: ${v.example}`).join(' | '),
    )
    const statusKinds = kinds.filter(([k]) => /outside the contract|x-request-id/.test(k))
    check(
      PART,
      'every status is in the contract, every response has x-request-id',
      statusKinds.length === 0,
      statusKinds.map(([k, v]) => `${k} ×${v.count}: ${v.example}`).join(' | '),
    )
    const parser = violations.get('bare 400 from the HTTP parser')
    check(
      PART,
      "requests Node's HTTP parser refuses get the contract's JSON error",
      !parser,
      parser
        ? `${parser.count} bare 400s (no JSON body, no x-request-id), methods ${[...stats.parserRejected.entries()].map(([m, n]) => `${m}×${n}`).join(', ')}; e.g. ${parser.example}`
        : '',
    )
    const after413 = violations.get('reset after a 413 on a keep-alive connection')
    // The same, deterministically: one connection, a 1 MB create, then a list on that connection.
    const one = { url: srv.url, agent: new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 }) }
    const big = await request(one, 'POST', '/v1/workflows', {
      headers: { 'x-api-key': ctx.live },
      body: { name: 'x'.repeat(1_000_000), steps: [] },
    })
    const t0 = Date.now()
    const next = await request(one, 'GET', '/v1/workflows?limit=1', { headers: { 'x-api-key': ctx.live } }).then(
      (r) => `${r.status}`,
      (e) => `${e.code} after ${Date.now() - t0} ms`,
    )
    one.agent.destroy()
    check(
      PART,
      'a keep-alive connection stays usable after a 413',
      !after413 && next === '200',
      `repro: POST /v1/workflows with a 1 MB JSON body → ${big.status} (Connection: ${big.headers.connection}); next GET /v1/workflows?limit=1 on the same connection → ${next}` +
        (after413 ? `; during fuzzing ${after413.count} requests were reset without an answer, e.g. ${after413.example}` : ''),
    )
    const transport = kinds.filter(([k]) => /^transport/.test(k))
    check(
      PART,
      'no dropped connection or timeout',
      transport.length === 0,
      transport.map(([k, v]) => `${k} ×${v.count}: ${v.example}`).join(' | '),
    )
    check(
      PART,
      'server stays up (/health 200 throughout and after)',
      (!node || srv.alive()) && healthFailures === 0 && finalHealth.status === 200,
      `${healthChecks} health checks, ${healthFailures} failed, final ${finalHealth.status}`,
    )
    if (node) {
      // After warm-up = once a quarter of the inputs tried are done (a count, whatever the speed).
      const warm = rss.find((s) => s.tried >= stats.tried * 0.25) ?? rss[0] ?? { kib: endRss, tried: stats.tried }
      const peak = Math.max(...rss.map((s) => s.kib), endRss)
      const growth = endRss - warm.kib
      check(
        PART,
        'RSS bounded (end − after warm-up < 64 MiB)',
        growth < RSS_GROWTH_LIMIT_KIB,
        `after warm-up ${(warm.kib / 1024).toFixed(1)} MiB (at ${warm.tried} inputs), end ${(endRss / 1024).toFixed(1)} MiB, peak ${(peak / 1024).toFixed(1)} MiB`,
      )
    }
    return { stats, violations }
  }
}
