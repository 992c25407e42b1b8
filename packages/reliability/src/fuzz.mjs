// Part 1: property-based HTTP fuzzing of every endpoint of the real server process.
// Bodies are generated from @wf/core's TypeBox schemas, then mutated; headers, methods and paths
// are random too. Every answer must be a contract success or a contract error (never a 5xx, never
// an error body outside core's ErrorBody schema); the server must stay up with bounded memory.
import fc from 'fast-check'
import { CreateWorkflowRequest, ERROR_CATALOGUE, ErrorBody, UpdateStepConfigRequest, UpdateWorkflowRequest } from '@wf/core'
import { Compile } from 'typebox/compile'
import {
  addFigure,
  bound,
  canonical,
  check,
  createKey,
  createOrg,
  request,
  revokeKey,
  rssKiB,
  sleep,
  startServer,
  tempDir,
} from './lib.mjs'
import { join } from 'node:path'

const PART = 'fuzz'
const TIME_LIMIT_MS = Number(process.env.WF_REL_FUZZ_MS ?? bound(40_000, 8_000))
const RUNS_PER_WORKER = Number(process.env.WF_REL_FUZZ_RUNS ?? bound(20_000, 500))
const WORKERS = 4
const MAX_BODY = 64 * 1024
const CONTRACT_STATUSES = new Set([200, 201, 400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 429])
const RSS_GROWTH_LIMIT_KIB = 64 * 1024

const checkErrorBody = Compile(ErrorBody)

// ---------------------------------------------------------------------------------------------
// Arbitraries from JSON Schema (the TypeBox values are JSON Schema)
// ---------------------------------------------------------------------------------------------

const nameString = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.constantFrom('Onboarding', '  padded  ', 'x'.repeat(255), '😀'.repeat(255), 'a\u0000b', 'é'),
)

export function arbitraryFromSchema(s) {
  if (s.const !== undefined) return fc.constant(s.const)
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum)
  if (Array.isArray(s.anyOf)) return fc.oneof(...s.anyOf.map(arbitraryFromSchema))
  switch (s.type) {
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 })
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true })
    case 'boolean':
      return fc.boolean()
    case 'string':
      return nameString
    case 'array':
      return fc.uniqueArray(arbitraryFromSchema(s.items), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 5, 6),
        selector: (v) => (v && typeof v === 'object' && 'id' in v ? v.id : canonical(v)),
      })
    case 'object': {
      const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, arbitraryFromSchema(v)]))
      return fc.record(props, { requiredKeys: s.required ?? [] })
    }
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

const badValue = fc.oneof(
  fc.constantFrom(
    null, true, false, '', '   ', '18', '1e3', 18.5, 0.1, -1, 0, 151, 101, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 31), 1e-300,
    [], {}, [null], { id: 'FACE_LIVENESS' }, '\ud800', 'x'.repeat(300), 'none', 'nfc-passport', 'ID_VERIFICATION', 'id_verification',
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)
const dangerousKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'status', 'id', 'organization_id', 'version', 'toString', 'hasOwnProperty', 'valueOf', ''),
  fc.string({ maxLength: 12 }),
)
const mutation = fc.oneof(
  fc.record({ op: fc.constant('replace'), at: fc.nat(), value: badValue }),
  fc.record({ op: fc.constant('addKey'), at: fc.nat(), key: dangerousKey, value: badValue }),
  fc.record({ op: fc.constant('removeKey'), at: fc.nat() }),
  fc.record({ op: fc.constant('wrapArray'), at: fc.nat() }),
)

/** Every container location in a JSON value: [parent, key] pairs, plus the root's objects. */
function locations(v, out = [], parent = null, key = null) {
  if (parent !== null) out.push([parent, key])
  if (Array.isArray(v)) v.forEach((x, i) => locations(x, out, v, i))
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) locations(v[k], out, v, k)
  return out
}
function objects(v, out = []) {
  if (Array.isArray(v)) v.forEach((x) => objects(x, out))
  else if (v && typeof v === 'object') {
    out.push(v)
    for (const k of Object.keys(v)) objects(v[k], out)
  }
  return out
}
/** Own enumerable property, even for __proto__ (an assignment would set the prototype instead). */
function setOwn(o, k, value) {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true })
}

export function mutate(value, mutations) {
  let root = { v: structuredClone(value) }
  for (const m of mutations) {
    const locs = locations(root.v, [], root, 'v')
    if (m.op === 'replace') {
      const [p, k] = locs[m.at % locs.length]
      p[k] = structuredClone(m.value)
    } else if (m.op === 'addKey') {
      const objs = objects(root.v)
      if (objs.length) setOwn(objs[m.at % objs.length], m.key, structuredClone(m.value))
      else root.v = { [m.key]: m.value }
    } else if (m.op === 'removeKey') {
      const objs = objects(root.v).filter((o) => Object.keys(o).length)
      if (objs.length) {
        const o = objs[m.at % objs.length]
        const keys = Object.keys(o)
        delete o[keys[m.at % keys.length]]
      }
    } else if (m.op === 'wrapArray') {
      const [p, k] = locs[m.at % locs.length]
      p[k] = [p[k]]
    }
  }
  return root.v
}

/** JSON text where some objects repeat a key (the earlier or the later occurrence being bad). */
function serializeWithDuplicates(v, dupValue, laterWins) {
  if (Array.isArray(v)) return `[${v.map((x) => serializeWithDuplicates(x, dupValue, laterWins)).join(',')}]`
  if (v && typeof v === 'object') {
    const keys = Object.keys(v)
    const parts = keys.map((k) => `${JSON.stringify(k)}:${serializeWithDuplicates(v[k], dupValue, laterWins)}`)
    if (keys.length) {
      const dup = `${JSON.stringify(keys[0])}:${JSON.stringify(dupValue)}`
      if (laterWins) parts.push(dup)
      else parts.unshift(dup)
    }
    return `{${parts.join(',')}}`
  }
  return JSON.stringify(v) ?? 'null'
}

const INVALID_UTF8 = [[0xff], [0xfe], [0xc3, 0x28], [0xa0, 0xa1], [0xe2, 0x28, 0xa1], [0xf0, 0x28, 0x8c, 0xbc], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x00]]

function deepJson(kind, depth) {
  if (kind === 'array') return '['.repeat(depth) + ']'.repeat(depth)
  if (kind === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
  // nested inside an otherwise valid-looking create body
  return `{"name":"deep","steps":[{"id":"FACE_LIVENESS","config":{"confidence_threshold":${'['.repeat(depth)}${']'.repeat(depth)}}}]}`
}

// A body: the value the schemas describe, mutated, then encoded in one of many ways.
const schemaValue = fc.oneof(
  arbitraryFromSchema(CreateWorkflowRequest),
  arbitraryFromSchema(UpdateWorkflowRequest),
  arbitraryFromSchema(UpdateStepConfigRequest),
  fc.record({ name: fc.string(), mode: fc.constantFrom('live', 'sandbox', 'LIVE', '', 'admin') }, { requiredKeys: [] }),
)
const bodyArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ enc: fc.constant('json'), value: schemaValue }) },
  { weight: 6, arbitrary: fc.record({ enc: fc.constant('json'), value: fc.tuple(schemaValue, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([v, ms]) => mutate(v, ms)) }) },
  { weight: 2, arbitrary: fc.record({ enc: fc.constant('duplicates'), value: schemaValue, dup: badValue, laterWins: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('deep'), kind: fc.constantFrom('array', 'object', 'inside'), depth: fc.integer({ min: 100, max: 12_000 }) }) },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('huge'), size: fc.constantFrom(MAX_BODY - 200, MAX_BODY, MAX_BODY + 1, 200_000, 1_000_000), where: fc.constantFrom('name', 'whitespace', 'steps') }) },
  { weight: 2, arbitrary: fc.record({ enc: fc.constant('invalidUtf8'), value: schemaValue, at: fc.nat(), bytes: fc.constantFrom(...INVALID_UTF8) }) },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('empty') }) },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('truncated'), value: schemaValue, at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('bytes'), bytes: fc.uint8Array({ maxLength: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('bom'), value: schemaValue }) },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('rawNumber'), token: fc.constantFrom('1e400', '-0', '1E2', '18.0', '00018', 'NaN', 'Infinity', '-Infinity', '0x10', '1_000', '18.', '.5', '9'.repeat(400)) }) },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('none') }) },
)

function encodeBody(b) {
  switch (b.enc) {
    case 'none':
      return undefined
    case 'empty':
      return ''
    case 'json':
      return JSON.stringify(b.value) ?? 'null'
    case 'duplicates':
      return serializeWithDuplicates(b.value, b.dup, b.laterWins)
    case 'deep':
      return deepJson(b.kind, b.depth)
    case 'huge':
      if (b.where === 'name') return JSON.stringify({ name: 'x'.repeat(Math.max(0, b.size - 60)), steps: [{ id: 'PEP_SANCTIONS' }] })
      if (b.where === 'whitespace') return `{"name":"ws",${' '.repeat(Math.max(0, b.size - 60))}"steps":[{"id":"PEP_SANCTIONS"}]}`
      return JSON.stringify({ name: 'many', steps: Array.from({ length: Math.ceil(b.size / 24) }, () => ({ id: 'PEP_SANCTIONS' })) })
    case 'invalidUtf8': {
      const text = Buffer.from(JSON.stringify(b.value) ?? 'null')
      const at = b.at % (text.length + 1)
      return Buffer.concat([text.subarray(0, at), Buffer.from(b.bytes), text.subarray(at)])
    }
    case 'truncated': {
      const text = JSON.stringify(b.value) ?? 'null'
      return text.slice(0, b.at % Math.max(1, text.length))
    }
    case 'bytes':
      return Buffer.from(b.bytes)
    case 'bom':
      return `\ufeff${JSON.stringify(b.value)}`
    case 'rawNumber':
      return `{"name":"n","steps":[{"id":"FACE_LIVENESS","config":{"confidence_threshold":${b.token}}}]}`
  }
  throw new Error(`unknown encoding ${b.enc}`)
}

// ---------------------------------------------------------------------------------------------
// Headers, methods, paths
// ---------------------------------------------------------------------------------------------

const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 })
const latin1Text = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 40 })
const base64url = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 43, maxLength: 43 })

function arbitraries(ctx) {
  const apiKey = fc.oneof(
    { weight: 8, arbitrary: fc.constant(ctx.live) },
    { weight: 2, arbitrary: fc.constant(ctx.sandbox) },
    { weight: 1, arbitrary: fc.constant(ctx.revoked) },
    { weight: 1, arbitrary: fc.constant(ctx.otherLive) },
    { weight: 2, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constant(''),
        headerText,
        latin1Text,
        base64url.map((s) => `wf_live_${s}`),
        base64url.map((s) => `wf_sandbox_${s}`),
        fc.constant(`${ctx.live}x`),
        fc.constant(ctx.live.slice(0, -1)),
        fc.constant(ctx.live.toUpperCase()),
        fc.constant(`Bearer ${ctx.live}`),
        fc.constant(`${ctx.live},${ctx.live}`),
        fc.constant('wf_live_' + 'A'.repeat(6000)),
      ),
    },
  )
  const ifMatch = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constantFrom('"1"', 'W/"1"', '*', '"0"', '"-1"', '"2"', '"abc"', '1', '"1", "2"', 'W/"1", "3"', '""', '"1.5"', '"99999999999999999999999"', '"1e3"', ' "1" ', ',,', 'W/', '"'),
        fc.nat({ max: 50 }).map((n) => `"${n}"`),
        headerText,
      ),
    },
  )
  const idempotencyKey = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.oneof(headerText, latin1Text, fc.constantFrom('', ' ', 'fuzz-shared-key', 'x'.repeat(255), 'x'.repeat(256), 'x'.repeat(5000))) },
  )
  const contentType = fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    {
      weight: 4,
      arbitrary: fc.oneof(
        fc.constantFrom(
          undefined, '', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/vnd.api+json',
          'application/merge-patch+json', 'text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
          'application/jsonx', 'application/json, text/plain', '*/*', 'application/', ';', 'application/json;;;', 'application/xml',
        ),
        headerText,
      ),
    },
  )
  const method = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE') },
    { weight: 2, arbitrary: fc.constantFrom('PUT', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO', 'get', 'M-SEARCH', 'PURGE') },
  )
  const seg = fc.oneof(
    fc.constantFrom('', '%', '%zz', '%00', '%ff', '%E0%A4%A', '..', '.', '%2F', '%2e%2e', '~', '*', 'null', 'undefined', '__proto__', 'constructor', 'x'.repeat(3000)),
    fc.string({ maxLength: 20 }).map(encodeURIComponent),
    fc.string({ unit: fc.constantFrom(...'abc_-.~%0123456789AFz'), maxLength: 12 }),
  )
  const wfId = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ctx.wfIds) },
    { weight: 1, arbitrary: fc.constant(ctx.archivedId) },
    { weight: 1, arbitrary: fc.constant(ctx.otherWfId) },
    { weight: 2, arbitrary: fc.oneof(seg, base64url.map((s) => `wf_${s.slice(0, 26).toUpperCase()}`)) },
  )
  const stepId = fc.oneof(fc.constantFrom('ID_VERIFICATION', 'FACE_LIVENESS', 'AGE_ESTIMATION', 'PEP_SANCTIONS', 'ADVERSE_MEDIA', 'face_liveness'), seg)
  const versionN = fc.oneof(fc.constantFrom('1', '2', '0', '-1', 'abc', '1e3', '1.0', '01', '99999999999999999999', '%20 1', '0x1'), fc.integer({ min: -5, max: 100 }).map(String), seg)
  const orgId = fc.oneof(fc.constantFrom(ctx.orgId, ctx.otherOrgId), seg)
  const keyId = fc.oneof(fc.constant(ctx.revokedKeyId), seg) // never a key the fuzzer itself uses
  const cursor = fc.oneof(
    fc.constantFrom(...ctx.cursors),
    fc.constantFrom(...ctx.cursors).chain((c) => fc.nat({ max: Math.max(0, c.length - 1) }).map((i) => c.slice(0, i) + (c[i] === 'A' ? 'B' : 'A') + c.slice(i + 1))),
    fc.constantFrom(...ctx.cursors).map((c) => c.slice(0, Math.floor(c.length / 2))),
    fc.string({ maxLength: 40 }).map((s) => Buffer.from(s).toString('base64url')),
    fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')),
    seg,
  )
  const query = fc.record(
    {
      limit: fc.oneof(fc.constantFrom('1', '0', '1000', '1001', '-5', 'abc', '1.5', '', '99999999999999999999', '1e2', ' 5'), fc.integer({ min: -10, max: 2000 }).map(String)),
      cursor,
      status: fc.oneof(fc.constantFrom('active', 'archived', 'ACTIVE', '', 'deleted', 'active,archived'), seg),
      junk: seg,
    },
    { requiredKeys: [] },
  )
  const path = fc.oneof(
    { weight: 5, arbitrary: fc.constant('/v1/workflows') },
    { weight: 5, arbitrary: wfId.map((id) => `/v1/workflows/${id}`) },
    { weight: 3, arbitrary: fc.tuple(wfId, stepId).map(([id, s]) => `/v1/workflows/${id}/steps/${s}/config`) },
    { weight: 2, arbitrary: wfId.map((id) => `/v1/workflows/${id}/versions`) },
    { weight: 2, arbitrary: fc.tuple(wfId, versionN).map(([id, n]) => `/v1/workflows/${id}/versions/${n}`) },
    { weight: 1, arbitrary: fc.constantFrom('/health', '/openapi.json', '/', '/v1', '/v1/', '/v1/workflows/', '/admin/v1/organizations', '/v2/workflows', '//v1/workflows', '/v1//workflows', '/V1/workflows') },
    { weight: 1, arbitrary: orgId.map((id) => `/admin/v1/organizations/${id}/api-keys`) },
    { weight: 1, arbitrary: keyId.map((id) => `/admin/v1/api-keys/${id}`) },
    { weight: 1, arbitrary: fc.array(seg, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`) },
  )
  const withQuery = fc.tuple(path, fc.option(query, { nil: undefined, freq: 2 })).map(([p, q]) => {
    if (!q) return p
    // Pieces made of URL-safe characters go as they are (so %zz and friends reach the server raw).
    const parts = Object.entries(q).map(([k, v]) => `${k}=${/^[\x21-\x7e]*$/.test(v) && !/[&#]/.test(v) ? v : encodeURIComponent(v)}`)
    return parts.length ? `${p}?${parts.join('&')}` : p
  })
  const adminAuth = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(`Bearer ${ctx.adminToken}`, 'Bearer wrong', `Bearer ${ctx.adminToken}x`, 'Basic abc', `bearer ${ctx.adminToken}`, 'Bearer ', ''),
  )
  const extraHeaders = fc.record(
    {
      'x-request-id': fc.oneof(headerText, fc.constant('x'.repeat(500))),
      accept: fc.constantFrom('application/json', 'text/html', '*/*', ''),
      'accept-encoding': fc.constantFrom('gzip', 'br', 'identity', '*'),
      'transfer-encoding': fc.constant('chunked'),
    },
    { requiredKeys: [] },
  )
  return fc.record({
    method,
    path: withQuery,
    apiKey,
    ifMatch,
    idempotencyKey,
    contentType,
    adminAuth,
    extra: extraHeaders,
    body: bodyArb,
  })
}

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

function describeInput(input, bodyBuf) {
  const h = headersOf(input)
  const shownHeaders = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v).length > 80 ? `${String(v).slice(0, 80)}…(${String(v).length} chars)` : v]))
  let body = bodyBuf === undefined ? '(no body)' : Buffer.isBuffer(bodyBuf) ? `bytes ${bodyBuf.subarray(0, 160).toString('hex')}` : bodyBuf
  if (typeof body === 'string' && body.length > 200) body = `${body.slice(0, 200)}…(${body.length} chars)`
  return `${input.method} ${input.path.length > 200 ? input.path.slice(0, 200) + '…' : input.path} headers=${JSON.stringify(shownHeaders)} body=${typeof body === 'string' ? body : JSON.stringify(body)}`
}

function headersOf(input) {
  const h = {}
  if (input.apiKey !== undefined) h['x-api-key'] = input.apiKey
  if (input.ifMatch !== undefined) h['if-match'] = input.ifMatch
  if (input.idempotencyKey !== undefined) h['idempotency-key'] = input.idempotencyKey
  if (input.contentType !== undefined) h['content-type'] = input.contentType
  if (input.adminAuth !== undefined && input.path.startsWith('/admin')) h.authorization = input.adminAuth
  for (const [k, v] of Object.entries(input.extra)) if (k !== 'transfer-encoding') h[k] = v
  return h
}

export async function runFuzz() {
  const dir = tempDir('wf-rel-fuzz-')
  const srv = await startServer({ WF_DB_PATH: join(dir, 'wf.sqlite') }, 'fuzz')
  try {
    return await fuzzTarget(srv, { part: PART, timeMs: TIME_LIMIT_MS, runsPerWorker: RUNS_PER_WORKER, minTried: bound(2000, 1000), node: true, figure: 'fuzz: inputs tried' })
  } finally {
    const r = await srv.stop('SIGTERM')
    check(PART, 'server stops cleanly on SIGTERM after fuzzing', r.code === 0, `exit ${r.code ?? r.signal}`)
  }
}

/**
 * The fuzzing itself, against any running target {url, agent} (the Node server, or the edge app
 * in workerd: `node: false` leaves out what only a local Node process has, its memory).
 */
export async function fuzzTarget(srv, { part, timeMs, runsPerWorker, minTried, node, figure, workers = WORKERS, platformRefusal }) {
  const PART = part
  const TIME_LIMIT_MS = timeMs
  const RUNS_PER_WORKER = runsPerWorker
  const started = Date.now()
  {
    // Context: two organisations, live/sandbox/revoked keys, some workflows, real cursors.
    const org = await createOrg(srv, 'Fuzz Org')
    const other = await createOrg(srv, 'Other Org')
    const live = await createKey(srv, org.id, 'live')
    const sandbox = await createKey(srv, org.id, 'sandbox')
    const revoked = await createKey(srv, org.id, 'live')
    await revokeKey(srv, revoked.id)
    const otherLive = await createKey(srv, other.id, 'live')
    const mk = async (key, name) => {
      const r = await request(srv, 'POST', '/v1/workflows', { headers: { 'x-api-key': key }, body: { name, steps: [{ id: 'ID_VERIFICATION' }, { id: 'FACE_LIVENESS' }] } })
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
      adminToken: (await import('./lib.mjs')).ADMIN_TOKEN,
    }
    const inputArb = arbitraries(ctx)

    // Figures and violations (the smallest example of each kind is kept).
    const stats = { tried: 0, sent: 0, clientRefused: 0, resetOnOversize: 0, byStatus: new Map(), parserRejected: new Map(), platform: new Map() }
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

    // Memory and liveness, sampled alongside the fuzzing.
    const rss = []
    let healthFailures = 0
    let healthChecks = 0
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        if (node) rss.push({ t: Date.now() - started, kib: rssKiB(srv.pid), tried: stats.tried })
        healthChecks++
        try {
          const h = await request(srv, 'GET', '/health', { timeoutMs: 5000 })
          if (h.status !== 200) healthFailures++
        } catch {
          healthFailures++
        }
        await sleep(500)
      }
    })()

    const deadline = Date.now() + TIME_LIMIT_MS
    const property = fc.asyncProperty(inputArb, async (input) => {
      if (Date.now() > deadline) return true
      stats.tried++
      const bodyBuf = encodeBody(input.body)
      const headers = headersOf(input)
      const chunked = 'transfer-encoding' in input.extra && bodyBuf !== undefined
      if (chunked) headers['transfer-encoding'] = 'chunked'
      const bodyLen = bodyBuf === undefined ? 0 : Buffer.byteLength(bodyBuf)
      let res
      try {
        const exotic = !['GET', 'POST', 'PATCH', 'DELETE'].includes(input.method)
        res = await request(exotic ? { url: srv.url, agent: false } : srv, input.method, input.path, { headers, body: bodyBuf, timeoutMs: 15_000 })
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
          violate('reset after a 413 on a keep-alive connection', input, bodyBuf, `${e.code}: the previous request on this socket (${Date.now() - e.previous.at} ms before) was ${e.previous.method} ${e.previous.path} with a ${e.previous.bodyLength}-byte body`)
          return true
        }
        if (!['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS'].includes(input.method)) {
          // A method token outside Node's parser's list is refused with a bare 400 and the socket
          // is closed at once; a body still being written then meets a reset. Same defect.
          stats.parserRejected.set(input.method, (stats.parserRejected.get(input.method) ?? 0) + 1)
          violate('bare 400 from the HTTP parser', input, bodyBuf, `${e.code} while sending the body (the parser refused the request line)`)
          return true
        }
        violate(`transport error ${e.code ?? e.message}`, input, bodyBuf, `${e.message}${e.reusedSocket ? ' (on a reused keep-alive socket)' : ' (on a new connection)'}${chunked ? ' (chunked body)' : ''}${e.previous ? ` previous on this socket ${Date.now() - e.previous.at} ms before: ${JSON.stringify(e.previous)}` : ''}`)
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
      else if (!CONTRACT_STATUSES.has(res.status)) violate(`status ${res.status} outside the contract`, input, bodyBuf, `${res.status} ${res.text.slice(0, 200)}`)
      if (!res.headers['x-request-id']) violate('no x-request-id', input, bodyBuf, `${res.status}`)
      if (input.method.toUpperCase() === 'HEAD') return true
      if (res.status >= 400) {
        const ct = String(res.headers['content-type'] ?? '')
        if (!/^application\/json/i.test(ct)) violate('error without JSON content type', input, bodyBuf, `${res.status} content-type=${ct} body=${res.text.slice(0, 200)}`)
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
        fc.assert(property, { numRuns: RUNS_PER_WORKER, seed: baseSeed + w, interruptAfterTimeLimit: TIME_LIMIT_MS + 5000, markInterruptAsFailure: false, endOnFailure: true }),
      ),
    )
    sampling = false
    await sampler
    const endRss = node ? rssKiB(srv.pid) : NaN
    const finalHealth = await request(srv, 'GET', '/health', { timeoutMs: 5000 }).catch((e) => ({ status: `error ${e.code}` }))

    // Checks
    addFigure(figure, stats.tried)
    addFigure('requests sent', stats.sent + healthChecks)
    const statusLine = [...stats.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' ')
    process.stdout.write(`  ${PART}: seed ${baseSeed}, ${stats.tried} inputs tried, ${stats.sent} sent, ${stats.clientRefused} refused by Node's client, ${stats.resetOnOversize} oversize bodies cut off by the server; statuses ${statusLine}\n`)
    check(PART, `inputs tried ≥ ${minTried}`, stats.tried >= minTried, `${stats.tried} inputs in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${baseSeed})`)
    const kinds = [...violations.entries()]
    const fiveXX = kinds.filter(([k]) => /^5\d\d answered/.test(k))
    const count = (list) => list.reduce((n, [, v]) => n + v.count, 0)
    addFigure('5xx seen', count(fiveXX))
    if (platformRefusal) {
      const n = [...stats.platform.values()].reduce((a, b) => a + b, 0)
      addFigure(`${PART}: refused by the platform before the app`, n)
      check(PART, 'requests the platform refuses before the app sees them (501 for an unknown method, RFC 9110 §15.6.2)', true, n ? `${n}: ${[...stats.platform.entries()].map(([k, v]) => `${k}×${v}`).join(', ')}` : 'none')
    }
    if (platformRefusal) {
      const restarts = violations.get('runtime restarted mid-request')
      addFigure(`${PART}: runtime restarts mid-request`, restarts?.count ?? 0)
      check(PART, 'the local runtime (workerd under wrangler dev) never restarted mid-request', !restarts, restarts ? `${restarts.count} requests answered by miniflare instead of the app, e.g. ${restarts.all.slice(0, 3).join(' | ')}` : '')
    }
    check(PART, 'never a 5xx from the app', fiveXX.length === 0, fiveXX.length ? `${count(fiveXX)} 5xx; e.g. ${fiveXX[0][1].example}` : `0 of ${stats.sent}`)
    const bodyKinds = kinds.filter(([k]) => /ErrorBody|JSON content type|code does not match|request_id|success body/.test(k))
    check(PART, 'every error body matches ErrorBody (JSON, code ↔ status)', bodyKinds.length === 0, bodyKinds.map(([k, v]) => `${k} ×${v.count}: ${v.example}`).join(' | '))
    const statusKinds = kinds.filter(([k]) => /outside the contract|x-request-id/.test(k))
    check(PART, 'every status is in the contract, every response has x-request-id', statusKinds.length === 0, statusKinds.map(([k, v]) => `${k} ×${v.count}: ${v.example}`).join(' | '))
    const parser = violations.get('bare 400 from the HTTP parser')
    check(
      PART,
      'requests Node\'s HTTP parser refuses get the contract\'s JSON error',
      !parser,
      parser ? `${parser.count} bare 400s (no JSON body, no x-request-id), methods ${[...stats.parserRejected.entries()].map(([m, n]) => `${m}×${n}`).join(', ')}; e.g. ${parser.example}` : '',
    )
    const after413 = violations.get('reset after a 413 on a keep-alive connection')
    // The same, deterministically: one connection, a 1 MB create, then a list on that connection.
    const one = { url: srv.url, agent: new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 }) }
    const big = await request(one, 'POST', '/v1/workflows', { headers: { 'x-api-key': ctx.live }, body: { name: 'x'.repeat(1_000_000), steps: [] } })
    const t0 = Date.now()
    const next = await request(one, 'GET', '/v1/workflows?limit=1', { headers: { 'x-api-key': ctx.live } }).then((r) => `${r.status}`, (e) => `${e.code} after ${Date.now() - t0} ms`)
    one.agent.destroy()
    check(
      PART,
      'a keep-alive connection stays usable after a 413',
      !after413 && next === '200',
      `repro: POST /v1/workflows with a 1 MB JSON body → ${big.status} (Connection: ${big.headers.connection}); next GET /v1/workflows?limit=1 on the same connection → ${next}` +
        (after413 ? `; during fuzzing ${after413.count} requests were reset without an answer, e.g. ${after413.example}` : ''),
    )
    const transport = kinds.filter(([k]) => /^transport/.test(k))
    check(PART, 'no dropped connection or timeout', transport.length === 0, transport.map(([k, v]) => `${k} ×${v.count}: ${v.example}`).join(' | '))
    check(PART, 'server stays up (/health 200 throughout and after)', (!node || srv.alive()) && healthFailures === 0 && finalHealth.status === 200, `${healthChecks} health checks, ${healthFailures} failed, final ${finalHealth.status}`)
    if (node) {
      const warm = rss.find((s) => s.t >= TIME_LIMIT_MS * 0.25) ?? rss[0]
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
