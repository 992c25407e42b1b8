// Part 4: isolation and auth (OWASP API1 broken object-level authorisation, API2 broken
// authentication, API3 property-level exposure, API4 unrestricted resource consumption) against the
// real Node server process. The route matrix and the admin-token checks are exported for the edge.
//
//   * every route with another organisation's workflow: 404 exactly as for one that does not
//     exist, and nothing changed (read back with the owner's key); cursors and Idempotency-Keys
//     do not cross organisations either;
//   * revoked, sandbox (403 with the exact sentence on every write), malformed and missing keys;
//   * admin routes with wrong, missing and prefix-of-the-right tokens; the token compared in
//     constant time (asserted from the source, and measured: median 401 time for 0 vs all-but-last
//     correct characters);
//   * bodies over 64 KiB (Content-Length and chunked) 413, headers over 16 KiB 431 with the JSON
//     error body; a slowloris (N sockets trickling headers) closed by headersTimeout meanwhile.
import Database from 'better-sqlite3'
import { ERROR_CATALOGUE, ErrorBody, SANDBOX_KEY_MESSAGE } from '@wf/core'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { Compile } from 'typebox/compile'
import {
  ADMIN_TOKEN,
  REPO_ROOT,
  addFigure,
  bound,
  check,
  createKey,
  createOrg,
  jsonEqual,
  rawRequest,
  request,
  revokeKey,
  sleep,
  startServer,
  tempDir,
} from './lib.mjs'

const PART = 'isol'
const MAX_BODY = 64 * 1024
const checkErrorBody = Compile(ErrorBody)
const STEPS = [{ id: 'ID_VERIFICATION' }, { id: 'FACE_LIVENESS' }]

/** A contract error: status, code, ErrorBody, request_id = x-request-id. Returns '' or a problem. */
export function errorProblem(res, status, code, exactError) {
  if (!res || res.status !== status) return `${res?.status} (wanted ${status}) ${res?.text?.slice(0, 160) ?? ''}`
  if (!/^application\/json/i.test(String(res.headers['content-type'] ?? ''))) return `content-type ${res.headers['content-type']}`
  if (res.json === undefined || !checkErrorBody.Check(res.json)) return `body outside ErrorBody: ${res.text.slice(0, 160)}`
  if (res.json.code !== code) return `code ${res.json.code} (wanted ${code})`
  if (ERROR_CATALOGUE[code] && ERROR_CATALOGUE[code].status !== status) return `catalogue says ${code} is ${ERROR_CATALOGUE[code].status}`
  if (res.json.request_id !== res.headers['x-request-id']) return `request_id ${res.json.request_id} ≠ x-request-id ${res.headers['x-request-id']}`
  if (exactError !== undefined && res.json.error !== exactError) return `error ${JSON.stringify(res.json.error)} (wanted ${JSON.stringify(exactError)})`
  return ''
}

/** Sends many requests, a few at a time; collects the problems the judge function reports. */
async function sweep(srv, cases, judge, parallel = 8) {
  const problems = []
  let sent = 0
  const queue = [...cases]
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        let res
        try {
          res = c.raw ? await rawRequest(srv, c.raw, { timeoutMs: 10_000 }) : await request(srv, c.method, c.path, { headers: c.headers, body: c.body, timeoutMs: 10_000 })
        } catch (e) {
          res = { status: `transport error ${e.code ?? e.message}`, headers: {}, text: '' }
        }
        sent++
        const p = judge(c, res)
        if (p) problems.push(`${c.label}: ${c.method ?? 'raw'} ${c.path ?? ''} → ${p}`)
      }
    }),
  )
  addFigure('requests sent', sent)
  return { problems, sent }
}

const summary = (r, what) => (r.problems.length ? `${r.problems.length} of ${r.sent} wrong; e.g. ${r.problems.slice(0, 3).join(' | ')}` : `${r.sent} ${what}`)

/** Every /v1 route, aimed at workflow `id` (`own` marks the routes that exist without one). */
function v1Routes(id) {
  return [
    { name: 'list', method: 'GET', path: '/v1/workflows?limit=5', read: true, own: true },
    { name: 'create', method: 'POST', path: '/v1/workflows', body: { name: 'intruder', steps: STEPS }, own: true },
    { name: 'get', method: 'GET', path: `/v1/workflows/${id}`, read: true },
    { name: 'patch', method: 'PATCH', path: `/v1/workflows/${id}`, body: { name: 'hijacked' } },
    { name: 'patch If-Match "1"', method: 'PATCH', path: `/v1/workflows/${id}`, body: { name: 'hijacked' }, headers: { 'if-match': '"1"' } },
    { name: 'patch If-Match *', method: 'PATCH', path: `/v1/workflows/${id}`, body: { name: 'hijacked', steps: [{ id: 'PEP_SANCTIONS' }] }, headers: { 'if-match': '*' } },
    { name: 'patch empty body', method: 'PATCH', path: `/v1/workflows/${id}` },
    { name: 'step config', method: 'PATCH', path: `/v1/workflows/${id}/steps/FACE_LIVENESS/config`, body: { config: { confidence_threshold: 5 } } },
    { name: 'step config If-Match *', method: 'PATCH', path: `/v1/workflows/${id}/steps/ID_VERIFICATION/config`, body: { config: { minimum_age: 0 } }, headers: { 'if-match': '*' } },
    { name: 'archive', method: 'DELETE', path: `/v1/workflows/${id}` },
    { name: 'archive If-Match *', method: 'DELETE', path: `/v1/workflows/${id}`, headers: { 'if-match': '*' } },
    { name: 'versions', method: 'GET', path: `/v1/workflows/${id}/versions`, read: true },
    { name: 'version 1', method: 'GET', path: `/v1/workflows/${id}/versions/1`, read: true },
    { name: 'version 2', method: 'GET', path: `/v1/workflows/${id}/versions/2`, read: true },
  ]
}

/** A workflow ID of the right shape that does not exist (the last character changed). */
function missingId(id) {
  const last = id.at(-1)
  return id.slice(0, -1) + (last === 'Z' ? 'Y' : 'Z')
}

const base64url = (n) => Array.from({ length: n }, (_, i) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[(i * 7 + 3) % 64]).join('')

/**
 * Two organisations, their keys and workflows; the route matrix (API1, API2 and the sandbox rule).
 * Used against the Node server and the edge app alike. Returns the context for further checks.
 */
export async function isolationMatrix(srv, part, { node }) {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
  const orgA = await createOrg(srv, 'Isolation Owner')
  const orgB = await createOrg(srv, 'Isolation Intruder')
  const A = { live: await createKey(srv, orgA.id, 'live'), sandbox: await createKey(srv, orgA.id, 'sandbox'), revoked: await createKey(srv, orgA.id, 'live') }
  const B = { live: await createKey(srv, orgB.id, 'live'), sandbox: await createKey(srv, orgB.id, 'sandbox') }
  const H = (k, extra = {}) => ({ 'x-api-key': k.secret, ...extra })
  const create = async (key, name, extra = {}) => {
    const r = await request(srv, 'POST', '/v1/workflows', { headers: H(key, extra), body: { name, steps: STEPS } })
    if (r.status !== 201) throw new Error(`seed create: ${r.status} ${r.text}`)
    return r.json.workflow
  }
  const wA = await create(A.live, 'owner workflow')
  const p = await request(srv, 'PATCH', `/v1/workflows/${wA.id}`, { headers: H(A.live), body: { name: 'owner workflow v2' } })
  if (p.status !== 200) throw new Error(`seed patch: ${p.status} ${p.text}`)
  const wA2 = await create(A.live, 'owner second', { 'idempotency-key': 'isolation-shared-key' })
  const p2 = await request(srv, 'PATCH', `/v1/workflows/${wA2.id}`, { headers: H(A.live), body: { steps: [{ id: 'AGE_ESTIMATION' }, { id: 'FACE_LIVENESS' }] } })
  if (p2.status !== 200) throw new Error(`seed patch: ${p2.status} ${p2.text}`)
  const wB = await create(B.live, 'intruder workflow')
  // The revoked key worked once, then was revoked.
  const beforeRevoke = await request(srv, 'GET', `/v1/workflows/${wA.id}`, { headers: H(A.revoked) })
  await revokeKey(srv, A.revoked.id)
  const afterRevoke = await request(srv, 'GET', `/v1/workflows/${wA.id}`, { headers: H(A.revoked) })
  check(part, 'a key works until revoked, and is 401 at once after', beforeRevoke.status === 200 && !errorProblem(afterRevoke, 401, 'unauthorized'), `before ${beforeRevoke.status}, after ${afterRevoke.status} ${errorProblem(afterRevoke, 401, 'unauthorized')}`)

  const snapshot = async () => {
    const out = {}
    for (const w of [wA, wA2]) {
      const cur = await request(srv, 'GET', `/v1/workflows/${w.id}`, { headers: H(A.live) })
      const hist = await request(srv, 'GET', `/v1/workflows/${w.id}/versions`, { headers: H(A.live) })
      out[w.id] = { status: cur.status, workflow: cur.json?.workflow, versions: hist.json?.versions }
    }
    return out
  }
  const before = await snapshot()

  // API1: another organisation's workflows are 404 exactly like missing ones, on every route.
  const ghost = missingId(wA.id)
  const ghostAnswers = new Map()
  for (const r of v1Routes(ghost)) {
    if (r.own) continue
    const res = await request(srv, r.method, r.path, { headers: { ...H(B.live), ...r.headers }, body: r.body })
    ghostAnswers.set(r.name, res)
  }
  const crossCases = []
  for (const target of [wA, wA2]) {
    for (const r of v1Routes(target.id)) if (!r.own) crossCases.push({ ...r, label: `B's live key, ${r.name} of A's ${target.id}`, headers: { ...H(B.live), ...r.headers } })
    for (const r of v1Routes(target.id)) if (!r.own && r.read) crossCases.push({ ...r, label: `B's sandbox key, ${r.name} of A's ${target.id}`, headers: { ...H(B.sandbox), ...r.headers } })
  }
  const cross = await sweep(srv, crossCases, (c, res) => {
    const e = errorProblem(res, 404, 'not_found')
    if (e) return e
    // The same answer as for a missing ID (the requested ID itself, echoed, aside).
    const g = ghostAnswers.get(c.name)
    const norm = (r, id) => `${r.status} ${r.json?.code} ${String(r.json?.error).split(id).join('<id>')} ${JSON.stringify(r.json?.details ?? null).split(id).join('<id>')}`
    const id = c.path.split('/')[3]
    if (c.headers['x-api-key'] === B.live.secret && g && norm(g, ghost) !== norm(res, id)) return `differs from a missing workflow's answer: ${norm(res, id)} vs ${norm(g, ghost)}`
    const other = (res.json.error.match(/(?:wf|org|key)_[0-9A-Za-z]+/g) ?? []).filter((x) => x !== id)
    if (other.length) return `error names another id: ${res.json.error}`
    return ''
  })
  check(part, "API1: every route with another organisation's workflow is 404, as if it did not exist", cross.problems.length === 0, summary(cross, 'requests: 404 not_found, same answer as for a missing ID'))
  const crossSandboxWrites = await sweep(
    srv,
    v1Routes(wA.id).filter((r) => !r.own && !r.read).map((r) => ({ ...r, label: `B's sandbox key, ${r.name} of A's workflow`, headers: { ...H(B.sandbox), ...r.headers } })),
    (c, res) => errorProblem(res, 403, 'sandbox_key', SANDBOX_KEY_MESSAGE),
  )
  check(part, "another organisation's sandbox key writing A's workflow: 403 (sandbox check first, §8)", crossSandboxWrites.problems.length === 0, summary(crossSandboxWrites, 'writes: 403'))

  // Lists, cursors and Idempotency-Keys do not cross organisations either.
  const listB = await request(srv, 'GET', '/v1/workflows', { headers: H(B.live) })
  const aIds = new Set([wA.id, wA2.id])
  const cursorA = (await request(srv, 'GET', '/v1/workflows?limit=1', { headers: H(A.live) })).json?.next_cursor
  const withCursor = cursorA ? await request(srv, 'GET', `/v1/workflows?limit=10&cursor=${encodeURIComponent(cursorA)}`, { headers: H(B.live) }) : undefined
  const leaked = [...(listB.json?.workflows ?? []), ...(withCursor?.json?.workflows ?? [])].filter((w) => aIds.has(w.id))
  check(
    part,
    "B's list, and B walking A's cursor, never show A's workflows",
    listB.status === 200 && listB.json.workflows.length === 1 && listB.json.workflows[0].id === wB.id && cursorA && (withCursor.status === 400 || withCursor.status === 200) && leaked.length === 0,
    `B's list: ${listB.status}, ${listB.json?.workflows?.length} workflow(s); A's cursor with B's key: ${withCursor?.status} ${withCursor?.status === 200 ? `${withCursor.json.workflows.length} workflow(s)` : withCursor?.json?.code}; leaked ${leaked.length}`,
  )
  const sameKey = await request(srv, 'POST', '/v1/workflows', { headers: H(B.live, { 'idempotency-key': 'isolation-shared-key' }), body: { name: 'owner second', steps: STEPS } })
  check(
    part,
    "an Idempotency-Key A used, sent by B with the same body: a new workflow in B, not A's replayed",
    sameKey.status === 201 && sameKey.headers['idempotent-replayed'] === undefined && sameKey.json.workflow.organization_id === orgB.id && sameKey.json.workflow.id !== wA2.id,
    `${sameKey.status} replayed=${sameKey.headers['idempotent-replayed']} org=${sameKey.json?.workflow?.organization_id === orgB.id ? 'B' : sameKey.json?.workflow?.organization_id} id=${sameKey.json?.workflow?.id === wA2.id ? "A's" : 'new'}`,
  )

  // API2: revoked keys, malformed keys, no key, on every route (and an unknown /v1 route).
  const every = [...v1Routes(wA.id), { name: 'unknown route', method: 'GET', path: '/v1/nothing-here' }]
  const malformed = [
    ['empty', ''],
    ['prefix only', 'wf_live_'],
    ['wf_live_ + 42', A.live.secret.slice(0, -1)],
    ['wf_live_ + 44', `${A.live.secret}A`],
    ['one character changed', A.live.secret.slice(0, -1) + (A.live.secret.at(-1) === 'A' ? 'B' : 'A')],
    ['upper-cased', A.live.secret.toUpperCase()],
    ['wrong prefix wf_test_', `wf_test_${A.live.secret.slice(8)}`],
    ['wrong prefix sk_live_', `sk_live_${A.live.secret.slice(8)}`],
    ['WF_LIVE_', `WF_LIVE_${A.live.secret.slice(8)}`],
    ['missing underscore', `wf_live${A.live.secret.slice(8)}`],
    ['sandbox prefix on a live secret', `wf_sandbox_${A.live.secret.slice(8)}`],
    ['unknown, well-formed', `wf_live_${base64url(43)}`],
    ['Bearer + key', `Bearer ${A.live.secret}`],
    ['key twice', `${A.live.secret}, ${A.live.secret}`],
    ['very long (8000)', `wf_live_${'A'.repeat(8000)}`],
    ['latin-1 characters', `wf_live_${'é'.repeat(43)}`],
    ...Array.from({ length: 4 }, (_, i) => [`random bytes #${i}`, Array.from({ length: 51 }, (_, j) => String.fromCharCode(0x21 + ((i * 97 + j * 61) % 0xdd))).join('').replace(/\x7f/g, '!')]),
  ]
  const keyCases = []
  for (const r of every) {
    keyCases.push({ ...r, label: 'revoked key', headers: { ...H(A.revoked), ...r.headers } })
    keyCases.push({ ...r, label: 'no key', headers: { ...r.headers } })
    keyCases.push({ ...r, label: 'key in Authorization instead', headers: { authorization: `Bearer ${A.live.secret}`, ...r.headers } })
    for (const [label, k] of malformed) keyCases.push({ ...r, label: `malformed key: ${label}`, headers: { 'x-api-key': k, ...r.headers } })
    if (node) keyCases.push({ ...r, label: 'key in the query string instead', path: `${r.path}${r.path.includes('?') ? '&' : '?'}api_key=${A.live.secret}`, headers: { ...r.headers } })
    // UTF-8 bytes in the header (Node's client refuses them: sent raw).
    for (const uni of [`wf_live_${'é'.repeat(43)}`, `wf_live_${'😀'.repeat(22)}`, `wf_live_${A.live.secret.slice(8, 50)}\u00a0`]) {
      const body = r.body === undefined ? '' : JSON.stringify(r.body)
      const head = `${r.method} ${r.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nx-api-key: `
      const tailH = `\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`
      keyCases.push({ ...r, label: `malformed key: unicode (UTF-8 bytes) ${JSON.stringify(uni.slice(8, 12))}…`, raw: [Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(uni, 'utf8'), Buffer.from(tailH + body, 'utf8')])] })
    }
  }
  const keys = await sweep(srv, keyCases, (c, res) => errorProblem(res, 401, 'unauthorized'))
  check(part, 'API2: revoked, malformed (20 shapes + UTF-8), misplaced and missing keys are 401 on every route', keys.problems.length === 0, summary(keys, 'requests: 401 unauthorized'))

  // The sandbox rule: reads allowed, every write 403 with the exact sentence, even a bad body.
  const sandboxCases = []
  for (const target of [wA, wA2]) {
    for (const r of v1Routes(target.id)) sandboxCases.push({ ...r, label: `A's sandbox key, ${r.name}`, headers: { ...H(A.sandbox), ...r.headers } })
  }
  sandboxCases.push({ name: 'create, oversized body', method: 'POST', path: '/v1/workflows', label: "A's sandbox key, 70 KB body", headers: H(A.sandbox), body: { name: 'x'.repeat(70_000), steps: STEPS } })
  sandboxCases.push({ name: 'create, not JSON', method: 'POST', path: '/v1/workflows', label: "A's sandbox key, text/plain body", headers: { ...H(A.sandbox), 'content-type': 'text/plain' }, body: 'hello' })
  sandboxCases.push({ name: 'patch, invalid JSON', method: 'PATCH', path: `/v1/workflows/${wA.id}`, label: "A's sandbox key, invalid JSON", headers: { ...H(A.sandbox), 'content-type': 'application/json' }, body: '{"name":' })
  sandboxCases.push({ name: 'patch, stale If-Match', method: 'PATCH', path: `/v1/workflows/${wA.id}`, label: "A's sandbox key, stale If-Match", headers: H(A.sandbox, { 'if-match': '"1"' }), body: { name: 'x' } })
  const sandbox = await sweep(srv, sandboxCases, (c, res) => {
    if (c.read) return res.status === 200 ? '' : `${res.status} (a read with a sandbox key is allowed) ${res.text.slice(0, 120)}`
    return errorProblem(res, 403, 'sandbox_key', SANDBOX_KEY_MESSAGE)
  })
  check(part, 'sandbox key: reads 200, every write 403 with the exact sentence (before 413/415/400/412)', sandbox.problems.length === 0, summary(sandbox, 'requests as the contract says'))

  // Nothing changed: A reads its workflows exactly as before (record and history).
  const after = await snapshot()
  const changed = Object.keys(before).filter((id) => !jsonEqual(before[id], after[id]))
  check(part, "after all of it, A's workflows and their histories are exactly as before (read with the owner's key)", changed.length === 0 && Object.values(after).every((s) => s.status === 200), changed.length ? `changed: ${changed.map((id) => `${id} v${before[id].workflow?.version}→v${after[id].workflow?.version} ${after[id].workflow?.name}`).join(', ')}` : `${Object.keys(after).length} workflows unchanged (versions ${Object.values(after).map((s) => s.workflow.version).join(', ')})`)

  // API3: nothing secret in what is returned: no key secret in any response body we got.
  const keyListing = await request(srv, 'GET', `/admin/v1/organizations/${orgA.id}/api-keys`, { headers: admin })
  const secretsShown = [A.live, A.sandbox, A.revoked].filter((k) => keyListing.text.includes(k.secret) || keyListing.text.includes(k.secret.slice(10)))
  const wfText = JSON.stringify(after)
  check(part, 'API3: key listings and workflow records never contain a secret (created_by is the key id)', keyListing.status === 200 && secretsShown.length === 0 && !/wf_(live|sandbox)_/.test(wfText) && after[wA.id].workflow.created_by === A.live.id, `listing ${keyListing.status} with ${keyListing.json?.api_keys?.length} keys, ${secretsShown.length} secrets shown; created_by ${after[wA.id].workflow?.created_by === A.live.id ? 'is the key id' : after[wA.id].workflow?.created_by}`)

  return { orgA, orgB, A, B, wA, wA2, wB }
}

/** Admin routes with wrong, missing and prefix-of-the-right tokens: 401 and nothing done. */
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
    { name: 'create organisation', method: 'POST', path: '/admin/v1/organizations', body: { name: 'should not exist' } },
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
    for (const [label, auth] of tokens) cases.push({ ...r, label: `admin ${label}`, headers: auth === undefined ? {} : { authorization: auth } })
    cases.push({ ...r, label: 'admin token in x-api-key', headers: { 'x-api-key': T } })
  }
  const res = await sweep(srv, cases, (c, r) => errorProblem(r, 401, 'unauthorized'))
  const after = { orgs: count('organizations'), keys: count('api_keys') }
  const stillWorks = await request(srv, 'GET', `/v1/workflows/${ctx.wA.id}`, { headers: { 'x-api-key': ctx.A.live.secret } })
  const listed = await request(srv, 'GET', `/admin/v1/organizations/${ctx.orgA.id}/api-keys`, { headers: { authorization: `Bearer ${T}` } })
  const unknownRight = await request(srv, 'GET', '/admin/v1/nothing', { headers: { authorization: `Bearer ${T}` } })
  check(
    part,
    'admin routes with a wrong, missing or prefix-of-the-right token: 401, nothing created or revoked',
    res.problems.length === 0 && stillWorks.status === 200 && listed.json?.api_keys?.length === 3 && jsonEqual(before, after) && unknownRight.status === 404,
    `${summary(res, 'requests: 401')}; A's live key still works (${stillWorks.status}); A has ${listed.json?.api_keys?.length} keys${dbPath ? `; rows organizations ${before.orgs}→${after.orgs}, api_keys ${before.keys}→${after.keys}` : ''}; unknown admin route with the right token ${unknownRight.status}`,
  )
}

/** The admin token is compared in constant time: asserted from the source, and measured. */
async function adminTiming(srv, ctx) {
  const mw = readFileSync(join(REPO_ROOT, 'packages/api/src/middleware/admin-auth.ts'), 'utf8')
  const hash = readFileSync(join(REPO_ROOT, 'packages/api/src/hash.ts'), 'utf8')
  const fn = /export async function timingSafeEqualText[\s\S]*?\n}/.exec(hash)?.[0] ?? ''
  const usesIt = /import \{[^}]*timingSafeEqualText[^}]*\} from '\.\.\/hash\.js'/.test(mw) && /timingSafeEqualText\(token, expected\)/.test(mw)
  const plainCompare = /(token|expected)\s*[!=]==?\s*(token|expected)/.test(mw) || /\.startsWith\(expected|expected\.startsWith/.test(mw)
  const constantFn = /sha256Hex\(a\)/.test(fn) && /sha256Hex\(b\)/.test(fn) && /diff \|=/.test(fn) && !/return false/.test(fn)
  check(PART, 'admin-auth.ts compares the token with timingSafeEqualText (hashes, XOR-accumulate, no early exit)', usesIt && !plainCompare && constantFn, `uses timingSafeEqualText: ${usesIt}; a plain ===/startsWith on the token: ${plainCompare}; hash.ts compares SHA-256 digests without early exit: ${constantFn}`)

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
  const a = []
  const b = []
  const started = Date.now()
  for (let i = 0; i < samples && Date.now() - started < 20_000; i++) {
    // interleaved, in alternating order, so drift hits both alike
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
  const ratio = Math.max(ma, mb) / Math.min(ma, mb)
  process.stdout.write(`  isol: admin 401 timing, ${a.length} samples each: median ${ma.toFixed(3)} ms (0 characters right) vs ${mb.toFixed(3)} ms (all but the last right), ratio ${ratio.toFixed(3)}\n`)
  figuresNote.timing = `${a.length}+${b.length} samples, medians ${ma.toFixed(3)} / ${mb.toFixed(3)} ms, ratio ${ratio.toFixed(3)}`
  check(PART, 'wrong admin token: median 401 time with 0 vs all-but-last characters right differs < 1.5×', ratio < 1.5, `${a.length} samples each: ${ma.toFixed(3)} ms vs ${mb.toFixed(3)} ms, ratio ${ratio.toFixed(3)} (noise-level differences expected; a byte-by-byte compare over loopback is not measurable this way, hence the source check)`)
}
export const figuresNote = {}

/** Body and header sizes (API4), Content-Length and chunked framing. */
export async function sizeLimits(srv, ctx) {
  const key = ctx.A.live.secret
  const target = (await request(srv, 'POST', '/v1/workflows', { headers: { 'x-api-key': key }, body: { name: 'size target', steps: STEPS } })).json.workflow
  const padded = (obj, size) => {
    const text = JSON.stringify(obj)
    return `${text.slice(0, -1)}${' '.repeat(size - Buffer.byteLength(text))}}`
  }
  const writes = [
    { name: 'create', method: 'POST', path: '/v1/workflows', body: { name: 'size ok', steps: STEPS }, okStatus: 201, headers: { 'x-api-key': key } },
    { name: 'update', method: 'PATCH', path: `/v1/workflows/${target.id}`, body: { name: 'size ok 2' }, okStatus: 200, headers: { 'x-api-key': key } },
    { name: 'step config', method: 'PATCH', path: `/v1/workflows/${target.id}/steps/FACE_LIVENESS/config`, body: { config: { confidence_threshold: 42 } }, okStatus: 200, headers: { 'x-api-key': key } },
    { name: 'admin create organisation', method: 'POST', path: '/admin/v1/organizations', body: { name: 'size org' }, okStatus: 201, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
  ]
  const head = (w, framing) =>
    `${w.method} ${w.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\ncontent-type: application/json\r\n${Object.entries(w.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}${framing}\r\n`
  const chunked = (body, chunkSize) => {
    const pieces = []
    for (let i = 0; i < body.length; i += chunkSize) {
      const c = body.subarray(i, i + chunkSize)
      pieces.push(Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]))
    }
    pieces.push(Buffer.from('0\r\n\r\n'))
    return pieces
  }
  const problems = []
  let sent = 0
  let cutOff = 0
  const expect = (label, res, wanted, mayBeCut = false) => {
    sent++
    // Far over the limit the server may answer and close while we are still sending; its kernel
    // then resets the connection, and the 413 can be lost with it (as in the fuzz part).
    if (mayBeCut && res.status === 0 && /EPIPE|ECONNRESET/.test(res.writeError ?? '')) {
      cutOff++
      return
    }
    const p = typeof wanted === 'number' ? (res.status === wanted ? '' : `${res.status} (wanted ${wanted}) ${res.text?.slice(0, 120)}`) : errorProblem(res, 413, 'payload_too_large')
    const closeP = wanted === 413 && !p && !/close/i.test(String(res.headers.connection ?? '')) ? 'no Connection: close on the 413' : ''
    if (p || closeP) problems.push(`${label}: ${p || closeP}${res.writeError ? ` (${res.writeError} while sending)` : ''}`)
  }
  for (const w of writes) {
    // Content-Length framing, through Node's client: exactly 64 KiB passes, one byte more is 413.
    expect(`${w.name}, Content-Length 65536`, await request(srv, w.method, w.path, { headers: { ...w.headers, 'content-type': 'application/json' }, body: padded(w.body, MAX_BODY) }), w.okStatus)
    const over = await request({ url: srv.url, agent: false }, w.method, w.path, { headers: { ...w.headers, 'content-type': 'application/json' }, body: padded(w.body, MAX_BODY + 1) }).catch((e) => ({ status: `transport error ${e.code}`, headers: {}, text: '' }))
    expect(`${w.name}, Content-Length 65537`, over, 413)
    // Chunked framing, raw: exactly 64 KiB passes; one byte over 413, in big or tiny chunks.
    const exact = Buffer.from(padded(w.body, MAX_BODY))
    expect(`${w.name}, chunked 65536 in 8 KiB chunks`, await rawRequest(srv, [head(w, 'Transfer-Encoding: chunked\r\n'), ...chunked(exact, 8192)]), w.okStatus)
    const overBody = Buffer.from(padded(w.body, MAX_BODY + 1))
    expect(`${w.name}, chunked 65537 in 8 KiB chunks`, await rawRequest(srv, [head(w, 'Transfer-Encoding: chunked\r\n'), ...chunked(overBody, 8192)]), 413)
    expect(`${w.name}, chunked 65537 in 1 KiB chunks`, await rawRequest(srv, [head(w, 'Transfer-Encoding: chunked\r\n'), ...chunked(overBody, 1024)]), 413)
    expect(`${w.name}, chunked 1 MB in one chunk`, await rawRequest(srv, [head(w, 'Transfer-Encoding: chunked\r\n'), ...chunked(Buffer.from(padded(w.body, 1_000_000)), 1_000_000)]), 413, true)
  }
  const w = writes[0]
  // A declared 10 MB body of which 100 bytes come: 413 at once, without waiting for the rest.
  const declared = await rawRequest(srv, [head(w, 'Content-Length: 10000000\r\n'), '{"name":"x"'.padEnd(100, ' ')], { timeoutMs: 8000 })
  expect('Content-Length 10 MB declared, 100 bytes sent', declared, 413)
  if (declared.ms > 3000) problems.push(`Content-Length 10 MB declared: answered after ${declared.ms} ms`)
  // Content-Length and Transfer-Encoding together (a smuggling shape; Hono's body limit had a bypass): never accepted.
  const both = await rawRequest(srv, [head(w, 'Content-Length: 10\r\nTransfer-Encoding: chunked\r\n'), ...chunked(Buffer.from(padded(w.body, 70_000)), 8192)])
  sent++
  if (!(both.status === 400 || both.status === 413) || !both.json || !checkErrorBody.Check(both.json)) problems.push(`Content-Length + chunked, 70 KB: ${both.status} ${both.text.slice(0, 120)}`)
  addFigure('requests sent', sent)
  check(PART, 'API4 bodies: 64 KiB accepted, 64 KiB + 1 is 413 + Connection: close (Content-Length, chunked big/small chunks, 1 MB, declared 10 MB, CL+TE)', problems.length === 0, problems.length ? `${problems.length} of ${sent} wrong: ${problems.slice(0, 4).join(' | ')}` : `${sent} requests on 4 write routes as expected${cutOff ? ` (${cutOff} of the 1 MB ones reset while sending, before the 413 could be read)` : ''}; the declared 10 MB answered in ${declared.ms} ms; CL+TE → ${both.status}`)

  // Headers: 16 KiB is Node's limit; over it is 431 with the contract's JSON error body.
  const hp = []
  const hcases = [
    ['one 17 KiB header', [`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nx-pad: ${'a'.repeat(17 * 1024)}\r\n\r\n`], 431],
    ['40 headers of 500 bytes', [`GET /v1/workflows HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${key}\r\n${Array.from({ length: 40 }, (_, i) => `x-pad-${i}: ${'b'.repeat(500)}\r\n`).join('')}\r\n`], 431],
    ['a 20 KiB URL', [`GET /v1/workflows?q=${'c'.repeat(20 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${key}\r\n\r\n`], 431],
    ['17 KiB header sent one KiB at a time', [`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nx-pad: `, ...Array.from({ length: 17 }, () => 'd'.repeat(1024)), '\r\n\r\n'], 431],
  ]
  for (const [label, pieces, status] of hcases) {
    const r = await rawRequest(srv, pieces)
    const p = errorProblem(r, status, 'invalid_request')
    const p2 = p.startsWith('catalogue says') ? '' : p // 431 has no code of its own in the catalogue: invalid_request is what the server sends
    if (p2) hp.push(`${label}: ${p2}`)
    else if (!/close/i.test(r.headers.connection ?? '')) hp.push(`${label}: no Connection: close`)
  }
  const under = await rawRequest(srv, [`GET /v1/workflows?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nx-api-key: ${key}\r\nx-pad: ${'e'.repeat(15 * 1024)}\r\n\r\n`])
  if (under.status !== 200) hp.push(`15 KiB of headers: ${under.status} (wanted 200)`)
  addFigure('requests sent', hcases.length + 1)
  check(PART, 'API4 headers: over 16 KiB is 431 with a JSON error body (ErrorBody, request_id = x-request-id, Connection: close); 15 KiB passes', hp.length === 0, hp.length ? hp.join(' | ') : `${hcases.length} oversized requests answered 431 JSON; 15 KiB → 200`)
}

/**
 * Slowloris: N sockets send a request's headers one byte every 2 s, never finishing. The server's
 * headersTimeout (10 s) must close each; the wait is bounded (15 s after the last socket opened).
 * Returns a promise of the result; the other checks run meanwhile.
 */
function slowloris(srv, n) {
  const u = new URL(srv.url)
  const prefix = 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n'
  const trickle = 'X-Slow-Header-Number-One: a-very-slow-value\r\nX-Slow-Header-Number-Two: again\r\n'
  const sockets = []
  const opened = Date.now()
  for (let i = 0; i < n; i++) {
    const s = { i, opened: Date.now(), closedAt: undefined, received: '', bytes: 0 }
    s.sock = connect(Number(u.port), u.hostname, () => {
      s.sock.write(prefix)
      s.timer = setInterval(() => {
        if (!s.sock.writable) return
        s.sock.write(trickle[s.bytes++ % trickle.length])
      }, 2000)
    })
    s.sock.on('data', (d) => {
      if (s.received.length < 400) s.received += d.toString('latin1')
    })
    s.sock.on('error', () => {})
    s.sock.on('close', () => {
      clearInterval(s.timer)
      s.closedAt ??= Date.now()
    })
    sockets.push(s)
  }
  const windowMs = 15_000
  return (async () => {
    const deadline = opened + windowMs
    while (Date.now() < deadline && sockets.some((s) => s.closedAt === undefined)) await sleep(100)
    const closed = sockets.filter((s) => s.closedAt !== undefined)
    const open = sockets.filter((s) => s.closedAt === undefined)
    for (const s of open) {
      clearInterval(s.timer)
      s.sock.destroy()
    }
    const times = closed.map((s) => (s.closedAt - s.opened) / 1000).sort((a, b) => a - b)
    const answers = new Map()
    for (const s of closed) {
      const line = s.received.split('\r\n')[0] || '(closed without an answer)'
      answers.set(line, (answers.get(line) ?? 0) + 1)
    }
    return { n, windowMs, closed: closed.length, open: open.length, times, answers, bytesTrickled: sockets.reduce((a, s) => a + s.bytes, 0) }
  })()
}

export async function runIsolation() {
  const dir = tempDir('wf-rel-isolation-')
  const dbPath = join(dir, 'wf.sqlite')
  const srv = await startServer({ WF_DB_PATH: dbPath }, 'isolation')
  // The slowloris sockets first (right after the start: see RELIABILITY.md); every other check
  // of this part runs while they trickle, so "normal requests still succeed" is tested by them.
  const N = bound(50, 20)
  const slow = slowloris(srv, N)
  try {
    const ctx = await isolationMatrix(srv, PART, { node: true })
    await adminAuthMatrix(srv, PART, ctx, { dbPath })
    await sizeLimits(srv, ctx)
    await adminTiming(srv, ctx)
    // Normal requests while the slow sockets are open: all answered, promptly.
    const lat = []
    let ok = 0
    for (let i = 0; i < 20; i++) {
      const t = Date.now()
      const r = await request(srv, 'GET', '/v1/workflows?limit=1', { headers: { 'x-api-key': ctx.A.live.secret }, timeoutMs: 5000 }).catch(() => ({ status: 0 }))
      lat.push(Date.now() - t)
      if (r.status === 200) ok++
    }
    addFigure('requests sent', 20)
    const s = await slow
    const maxLat = Math.max(...lat)
    check(PART, `slowloris: with ${N} slow sockets open, normal requests still succeed`, ok === 20, `${ok}/20 answered 200 during the slowloris (max latency ${maxLat} ms), besides every other check of this part`)
    const t = s.times
    const med = t.length ? t[Math.floor(t.length / 2)] : NaN
    figuresNote.slowloris = `${s.closed}/${N} closed by the server within ${s.windowMs / 1000} s${t.length ? ` (after ${t[0].toFixed(1)}–${t.at(-1).toFixed(1)} s)` : ''}; answers: ${[...s.answers.entries()].map(([l, c]) => `${l} ×${c}`).join(', ') || 'none'}`
    check(
      PART,
      `slowloris: headersTimeout (10 s) closes all ${N} sockets trickling headers within ${s.windowMs / 1000} s`,
      s.closed === N && t.at(-1) <= s.windowMs / 1000,
      `${s.closed} closed by the server${t.length ? ` after ${t[0].toFixed(1)}–${t.at(-1).toFixed(1)} s (median ${med.toFixed(1)})` : ''}, ${s.open} still open after ${s.windowMs / 1000} s (closed by the test); ${s.bytesTrickled} bytes trickled; answers: ${figuresNote.slowloris.split('answers: ')[1]}`,
    )
  } finally {
    await slow.catch(() => {})
    const r = await srv.stop('SIGTERM')
    check(PART, 'server stops cleanly on SIGTERM', r.code === 0, `exit ${r.code ?? r.signal}`)
  }
}
