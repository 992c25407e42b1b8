// The inputs of part 1 (property-based HTTP fuzzing): fast-check arbitraries for bodies generated
// from @wf/core's TypeBox schemas, then mutated; random headers, methods and paths; and the
// translation of one generated input into the request's headers and body bytes.

import { CreateWorkflowRequest, UpdateStepConfigRequest, UpdateWorkflowRequest } from '@wf/core'
import fc from 'fast-check'
import { canonical } from './report.mjs'

export const MAX_BODY = 64 * 1024

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
    null,
    true,
    false,
    '',
    '   ',
    '18',
    '1e3',
    18.5,
    0.1,
    -1,
    0,
    151,
    101,
    1e308,
    -1e308,
    2 ** 53 + 1,
    -(2 ** 31),
    1e-300,
    [],
    {},
    [null],
    { id: 'FACE_LIVENESS' },
    '\ud800',
    'x'.repeat(300),
    'none',
    'nfc-passport',
    'ID_VERIFICATION',
    'id_verification',
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)
const dangerousKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'status',
    'id',
    'organization_id',
    'version',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '',
  ),
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
  if (Array.isArray(v)) for (const [i, x] of v.entries()) locations(x, out, v, i)
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) locations(v[k], out, v, k)
  return out
}
function objects(v, out = []) {
  if (Array.isArray(v)) for (const x of v) objects(x, out)
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
  const root = { v: structuredClone(value) }
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

const INVALID_UTF8 = [
  [0xff],
  [0xfe],
  [0xc3, 0x28],
  [0xa0, 0xa1],
  [0xe2, 0x28, 0xa1],
  [0xf0, 0x28, 0x8c, 0xbc],
  [0xed, 0xa0, 0x80],
  [0xc0, 0xaf],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x00],
]

function deepJson(kind, depth) {
  if (kind === 'array') return '['.repeat(depth) + ']'.repeat(depth)
  if (kind === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
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
  {
    weight: 6,
    arbitrary: fc.record({
      enc: fc.constant('json'),
      value: fc.tuple(schemaValue, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([v, ms]) => mutate(v, ms)),
    }),
  },
  { weight: 2, arbitrary: fc.record({ enc: fc.constant('duplicates'), value: schemaValue, dup: badValue, laterWins: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      enc: fc.constant('deep'),
      kind: fc.constantFrom('array', 'object', 'inside'),
      depth: fc.integer({ min: 100, max: 12_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      enc: fc.constant('huge'),
      size: fc.constantFrom(MAX_BODY - 200, MAX_BODY, MAX_BODY + 1, 200_000, 1_000_000),
      where: fc.constantFrom('name', 'whitespace', 'steps'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ enc: fc.constant('invalidUtf8'), value: schemaValue, at: fc.nat(), bytes: fc.constantFrom(...INVALID_UTF8) }),
  },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('empty') }) },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('truncated'), value: schemaValue, at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('bytes'), bytes: fc.uint8Array({ maxLength: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('bom'), value: schemaValue }) },
  {
    weight: 1,
    arbitrary: fc.record({
      enc: fc.constant('rawNumber'),
      token: fc.constantFrom(
        '1e400',
        '-0',
        '1E2',
        '18.0',
        '00018',
        'NaN',
        'Infinity',
        '-Infinity',
        '0x10',
        '1_000',
        '18.',
        '.5',
        '9'.repeat(400),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ enc: fc.constant('none') }) },
)

export function encodeBody(b) {
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
const latin1Text = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f)
    .map((c) => String.fromCharCode(c)),
  maxLength: 40,
})
const base64url = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
  minLength: 43,
  maxLength: 43,
})

export function arbitraries(ctx) {
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
        fc.constant(`wf_live_${'A'.repeat(6000)}`),
      ),
    },
  )
  const ifMatch = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constantFrom(
          '"1"',
          'W/"1"',
          '*',
          '"0"',
          '"-1"',
          '"2"',
          '"abc"',
          '1',
          '"1", "2"',
          'W/"1", "3"',
          '""',
          '"1.5"',
          '"99999999999999999999999"',
          '"1e3"',
          ' "1" ',
          ',,',
          'W/',
          '"',
        ),
        fc.nat({ max: 50 }).map((n) => `"${n}"`),
        headerText,
      ),
    },
  )
  const idempotencyKey = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        headerText,
        latin1Text,
        fc.constantFrom('', ' ', 'fuzz-shared-key', 'x'.repeat(255), 'x'.repeat(256), 'x'.repeat(5000)),
      ),
    },
  )
  const contentType = fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    {
      weight: 4,
      arbitrary: fc.oneof(
        fc.constantFrom(
          undefined,
          '',
          'application/json; charset=utf-8',
          'application/json; charset=latin1',
          'APPLICATION/JSON',
          'application/vnd.api+json',
          'application/merge-patch+json',
          'text/plain',
          'text/json',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/jsonx',
          'application/json, text/plain',
          '*/*',
          'application/',
          ';',
          'application/json;;;',
          'application/xml',
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
    fc.constantFrom(
      '',
      '%',
      '%zz',
      '%00',
      '%ff',
      '%E0%A4%A',
      '..',
      '.',
      '%2F',
      '%2e%2e',
      '~',
      '*',
      'null',
      'undefined',
      '__proto__',
      'constructor',
      'x'.repeat(3000),
    ),
    fc.string({ maxLength: 20 }).map(encodeURIComponent),
    fc.string({ unit: fc.constantFrom(...'abc_-.~%0123456789AFz'), maxLength: 12 }),
  )
  const wfId = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ctx.wfIds) },
    { weight: 1, arbitrary: fc.constant(ctx.archivedId) },
    { weight: 1, arbitrary: fc.constant(ctx.otherWfId) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        seg,
        base64url.map((s) => `wf_${s.slice(0, 26).toUpperCase()}`),
      ),
    },
  )
  const stepId = fc.oneof(
    fc.constantFrom('ID_VERIFICATION', 'FACE_LIVENESS', 'AGE_ESTIMATION', 'PEP_SANCTIONS', 'ADVERSE_MEDIA', 'face_liveness'),
    seg,
  )
  const versionN = fc.oneof(
    fc.constantFrom('1', '2', '0', '-1', 'abc', '1e3', '1.0', '01', '99999999999999999999', '%20 1', '0x1'),
    fc.integer({ min: -5, max: 100 }).map(String),
    seg,
  )
  const orgId = fc.oneof(fc.constantFrom(ctx.orgId, ctx.otherOrgId), seg)
  const keyId = fc.oneof(fc.constant(ctx.revokedKeyId), seg) // never a key the fuzzer itself uses
  const cursor = fc.oneof(
    fc.constantFrom(...ctx.cursors),
    fc
      .constantFrom(...ctx.cursors)
      .chain((c) => fc.nat({ max: Math.max(0, c.length - 1) }).map((i) => c.slice(0, i) + (c[i] === 'A' ? 'B' : 'A') + c.slice(i + 1))),
    fc.constantFrom(...ctx.cursors).map((c) => c.slice(0, Math.floor(c.length / 2))),
    fc.string({ maxLength: 40 }).map((s) => Buffer.from(s).toString('base64url')),
    fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')),
    seg,
  )
  const query = fc.record(
    {
      limit: fc.oneof(
        fc.constantFrom('1', '0', '1000', '1001', '-5', 'abc', '1.5', '', '99999999999999999999', '1e2', ' 5'),
        fc.integer({ min: -10, max: 2000 }).map(String),
      ),
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
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '/health',
        '/openapi.json',
        '/',
        '/v1',
        '/v1/',
        '/v1/workflows/',
        '/admin/v1/organizations',
        '/v2/workflows',
        '//v1/workflows',
        '/v1//workflows',
        '/V1/workflows',
      ),
    },
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
    fc.constantFrom(
      `Bearer ${ctx.adminToken}`,
      'Bearer wrong',
      `Bearer ${ctx.adminToken}x`,
      'Basic abc',
      `bearer ${ctx.adminToken}`,
      'Bearer ',
      '',
    ),
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
// One input as request headers, and as a line for a failure report
// ---------------------------------------------------------------------------------------------

export function describeInput(input, bodyBuf) {
  const h = headersOf(input)
  const shownHeaders = Object.fromEntries(
    Object.entries(h).map(([k, v]) => [k, String(v).length > 80 ? `${String(v).slice(0, 80)}…(${String(v).length} chars)` : v]),
  )
  let body = bodyBuf === undefined ? '(no body)' : Buffer.isBuffer(bodyBuf) ? `bytes ${bodyBuf.subarray(0, 160).toString('hex')}` : bodyBuf
  if (typeof body === 'string' && body.length > 200) body = `${body.slice(0, 200)}…(${body.length} chars)`
  return `${input.method} ${input.path.length > 200 ? `${input.path.slice(0, 200)}…` : input.path} headers=${JSON.stringify(shownHeaders)} body=${typeof body === 'string' ? body : JSON.stringify(body)}`
}

/** @returns {Record<string, string>} */
export function headersOf(input) {
  /** @type {Record<string, string>} */
  const h = {}
  if (input.apiKey !== undefined) h['x-api-key'] = input.apiKey
  if (input.ifMatch !== undefined) h['if-match'] = input.ifMatch
  if (input.idempotencyKey !== undefined) h['idempotency-key'] = input.idempotencyKey
  if (input.contentType !== undefined) h['content-type'] = input.contentType
  if (input.adminAuth !== undefined && input.path.startsWith('/admin')) h.authorization = input.adminAuth
  for (const [k, v] of Object.entries(input.extra)) if (k !== 'transfer-encoding') h[k] = v
  return h
}
