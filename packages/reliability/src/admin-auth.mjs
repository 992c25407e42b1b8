// Part 4, admin auth (OWASP API2): admin routes with wrong, missing and prefix-of-the-right
// tokens; the token compared in constant time (asserted from the source, and measured: the median
// of paired 401 times for 0 vs all-but-last correct characters).

import { readFileSync } from 'node:fs'
import http from 'node:http'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { request } from './http.mjs'
import { errorProblem, figuresNote, summary, sweep } from './isolation-shared.mjs'
import { addFigure, bound, check, jsonEqual } from './report.mjs'
import { ADMIN_TOKEN, REPO_ROOT } from './servers.mjs'

const PART = 'isol'

/**
 * Admin routes with wrong, missing and prefix-of-the-right tokens: 401 and nothing done.
 * @param {import('./http.mjs').Target} srv
 * @param {string} part
 * @param {any} ctx the isolation matrix's context (organizations, keys, workflows)
 * @param {{ dbPath?: string }} [opts] the Node server's database: counts rows before and after
 */
export async function adminAuthMatrix(srv, part, ctx, { dbPath } = {}) {
  const T = ADMIN_TOKEN
  const tokens = [
    ['no Authorization', undefined],
    ['Bearer + empty', 'Bearer '],
    ['Bearer wrong', 'Bearer wrong'],
    ...[1, 8, Math.floor(T.length / 2), T.length - 1].map((n) => [`prefix of ${n} characters`, `Bearer ${T.slice(0, n)}`]),
    ['the token + 1 character', `Bearer ${T}x`],
    ['last character changed', `Bearer ${T.slice(0, -1)}${T.at(-1) === 'x' ? 'y' : 'x'}`],
    ['two spaces', `Bearer  ${T}`],
    ['lower-case scheme', `bearer ${T}`],
    ['Basic', `Basic ${Buffer.from(`admin:${T}`).toString('base64')}`],
    ['no scheme', T],
    ['an API key as the token', `Bearer ${ctx.A.live.secret}`],
    ['token upper-cased', `Bearer ${T.toUpperCase()}`],
  ]
  const routes = [
    { name: 'create organization', method: 'POST', path: '/admin/v1/organizations', body: { name: 'should not exist' } },
    { name: 'create key', method: 'POST', path: `/admin/v1/organizations/${ctx.orgA.id}/api-keys`, body: { mode: 'live' } },
    { name: 'list keys', method: 'GET', path: `/admin/v1/organizations/${ctx.orgA.id}/api-keys` },
    { name: 'revoke key', method: 'DELETE', path: `/admin/v1/api-keys/${ctx.A.live.id}` },
    { name: 'unknown admin route', method: 'GET', path: '/admin/v1/nothing' },
  ]
  const count = (table) => {
    if (!dbPath) return undefined
    const db = new Database(dbPath, { readonly: true, fileMustExist: true })
    try {
      return db.prepare(`SELECT count(*) AS n FROM ${table}`).get().n
    } finally {
      db.close()
    }
  }
  const before = { orgs: count('organizations'), keys: count('api_keys') }
  const cases = []
  for (const r of routes) {
    for (const [label, auth] of tokens)
      cases.push({ ...r, label: `admin ${label}`, headers: auth === undefined ? {} : { authorization: auth } })
    cases.push({ ...r, label: 'admin token in x-api-key', headers: { 'x-api-key': T } })
  }
  const res = await sweep(srv, cases, (_c, r) => errorProblem(r, 401, 'unauthorized'))
  const after = { orgs: count('organizations'), keys: count('api_keys') }
  const stillWorks = await request(srv, 'GET', `/v1/workflows/${ctx.wA.id}`, { headers: { 'x-api-key': ctx.A.live.secret } })
  const listed = await request(srv, 'GET', `/admin/v1/organizations/${ctx.orgA.id}/api-keys`, { headers: { authorization: `Bearer ${T}` } })
  const unknownRight = await request(srv, 'GET', '/admin/v1/nothing', { headers: { authorization: `Bearer ${T}` } })
  check(
    part,
    'admin routes with a wrong, missing or prefix-of-the-right token: 401, nothing created or revoked',
    res.problems.length === 0 &&
      stillWorks.status === 200 &&
      listed.json?.api_keys?.length === 3 &&
      jsonEqual(before, after) &&
      unknownRight.status === 404,
    `${summary(res, 'requests: 401')}; A's live key still works (${stillWorks.status}); A has ${listed.json?.api_keys?.length} keys${dbPath ? `; rows organizations ${before.orgs}→${after.orgs}, api_keys ${before.keys}→${after.keys}` : ''}; unknown admin route with the right token ${unknownRight.status}`,
  )
}

/** The admin token is compared in constant time: asserted from the source, and measured. */
export async function adminTiming(srv, ctx) {
  const mw = readFileSync(join(REPO_ROOT, 'packages/api/src/middleware/admin-auth.ts'), 'utf8')
  const hash = readFileSync(join(REPO_ROOT, 'packages/api/src/hash.ts'), 'utf8')
  const fn = /export async function timingSafeEqualText[\s\S]*?\n}/.exec(hash)?.[0] ?? ''
  const usesIt =
    /import \{[^}]*timingSafeEqualText[^}]*\} from '\.\.\/hash\.js'/.test(mw) && /timingSafeEqualText\(token, expected\)/.test(mw)
  const plainCompare = /(token|expected)\s*[!=]==?\s*(token|expected)/.test(mw) || /\.startsWith\(expected|expected\.startsWith/.test(mw)
  const constantFn = /sha256Hex\(a\)/.test(fn) && /sha256Hex\(b\)/.test(fn) && /diff \|=/.test(fn) && !/return false/.test(fn)
  check(
    PART,
    'admin-auth.ts compares the token with timingSafeEqualText (hashes, XOR-accumulate, no early exit)',
    usesIt && !plainCompare && constantFn,
    `uses timingSafeEqualText: ${usesIt}; a plain ===/startsWith on the token: ${plainCompare}; hash.ts compares SHA-256 digests without early exit: ${constantFn}`,
  )

  const T = ADMIN_TOKEN
  const none = Array.from(T, (ch) => (ch === 'q' ? 'r' : 'q')).join('') // same length, no character right
  const most = T.slice(0, -1) + (T.at(-1) === 'q' ? 'r' : 'q') // all but the last right
  const one = { url: srv.url, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) }
  const path = `/admin/v1/organizations/${ctx.orgA.id}/api-keys`
  const time = async (token) => {
    const t = process.hrtime.bigint()
    const r = await request(one, 'GET', path, { headers: { authorization: `Bearer ${token}` } })
    const ns = Number(process.hrtime.bigint() - t)
    if (r.status !== 401) throw new Error(`timing sample answered ${r.status}`)
    return ns
  }
  const samples = bound(1500, 300)
  for (let i = 0; i < 100; i++) await time(i % 2 ? none : most) // warm-up
  // Exactly `samples` pairs, each measured back to back in alternating order. Judged by the median
  // of the per-pair ratios, not the ratio of the two medians: load hits both halves of a pair
  // alike, and a busy machine (drift, a bimodal spread of latencies) moves the medians of two
  // separate samples apart but not the middle of the paired ratios.
  const a = []
  const b = []
  for (let i = 0; i < samples; i++) {
    if (i % 2) {
      a.push(await time(none))
      b.push(await time(most))
    } else {
      b.push(await time(most))
      a.push(await time(none))
    }
  }
  one.agent.destroy()
  addFigure('requests sent', 100 + a.length + b.length)
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]
  const ma = median(a) / 1e6
  const mb = median(b) / 1e6
  const paired = median(a.map((x, i) => b[i] / x)) // all-but-last right over none right
  const ratio = Math.max(paired, 1 / paired)
  const slower = a.filter((x, i) => b[i] > x).length
  process.stdout.write(
    `  isol: admin 401 timing, ${a.length} pairs: medians ${ma.toFixed(3)} ms (0 characters right) vs ${mb.toFixed(3)} ms (all but the last right); median paired ratio ${paired.toFixed(3)}; all-but-last slower in ${slower} of ${a.length} pairs\n`,
  )
  figuresNote.timing = `${a.length} pairs, medians ${ma.toFixed(3)} / ${mb.toFixed(3)} ms, median paired ratio ${paired.toFixed(3)}, slower in ${slower}/${a.length}`
  check(
    PART,
    'wrong admin token: 401 time with 0 vs all-but-last characters right, median of the paired ratios < 1.5×',
    ratio < 1.5,
    `${a.length} pairs: medians ${ma.toFixed(3)} ms vs ${mb.toFixed(3)} ms, median paired ratio ${paired.toFixed(3)}, all-but-last slower in ${slower} of ${a.length} (noise-level differences expected; a byte-by-byte compare over loopback is not measurable this way, hence the source check)`,
  )
}
