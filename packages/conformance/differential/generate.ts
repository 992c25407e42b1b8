/**
 * fast-check arbitraries for generated requests: routes, methods, keys and admin tokens, If-Match,
 * Idempotency-Key, cursors, x-request-id, padding headers, and bodies (valid ones built from the
 * step catalog's bounds, the same mutated, and raw bytes: BOMs, invalid UTF-8, truncated JSON).
 * Ids are placeholders resolved per app (`{wf}`, `{gen}`: the last workflow a generated request
 * created, `{cursor}`: the last next_cursor a generated list returned).
 */
import { STEP_IDS } from '@wf/core'
import fc from 'fast-check'
import { ADMIN } from './seed.js'
import type { Case } from './send.js'

type Json = unknown
type Headers = Record<string, string | string[]>

// ---------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------

const name = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }) },
  // Any UTF-16 code units: lone surrogates included (JSON.stringify writes them as \u escapes).
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'Onboarding',
      '  padded  ',
      '',
      '   ',
      '\u3000',
      'x'.repeat(255),
      'x'.repeat(256),
      '😀'.repeat(255),
      '😀'.repeat(256),
      'a\u0000b',
      '\ufeffbom',
    ),
  },
)

const idVerificationConfig = fc.record(
  {
    minimum_age: fc.integer({ min: 0, max: 150 }),
    maximum_age: fc.integer({ min: 0, max: 150 }),
    expiry_date_years: fc.integer({ min: 0, max: 100 }),
    require_secondary_id: fc.boolean(),
    require_tertiary_id: fc.boolean(),
    face_front_photo_only: fc.boolean(),
    require_front_only: fc.boolean(),
    enable_fraud_analysis: fc.boolean(),
    escalation_type: fc.constantFrom('none', 'nfc-passport'),
    escalation_risk_threshold: fc.integer({ min: 0, max: 100 }),
  },
  { requiredKeys: [] },
)
const configOf: Record<string, fc.Arbitrary<Json>> = {
  ID_VERIFICATION: idVerificationConfig,
  FACE_LIVENESS: fc.record({ confidence_threshold: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: [] }),
  AGE_ESTIMATION: fc.record({ minimum_age: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: [] }),
  PEP_SANCTIONS: fc.constant({}),
  ADVERSE_MEDIA: fc.constant({}),
}
const step = (id: string) =>
  fc.oneof(
    fc.constant({ id }),
    configOf[id]!.map((config) => ({ id, config })),
  )
const steps = fc.uniqueArray(fc.constantFrom(...STEP_IDS), { minLength: 1, maxLength: 5 }).chain((ids) => fc.tuple(...ids.map(step)))

export const validCreate = fc.record({ name, steps })
const validPatch = fc.record({ name, steps }, { requiredKeys: [] })
const validStepConfig = (id: string) => (configOf[id] ?? fc.constant({})).map((config) => ({ config }))

const badValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    '',
    ' ',
    '18',
    18.5,
    -1,
    0,
    101,
    151,
    1e308,
    2 ** 53 + 1,
    [],
    {},
    [null],
    'none',
    'nfc-passport',
    'ID_VERIFICATION',
    'id_verification',
    'x'.repeat(300),
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.integer(),
)
const dangerousKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'status',
    'id',
    'organization_id',
    'version',
    'config',
    'name',
    'steps',
    '',
  ),
  fc.string({ maxLength: 10 }),
)

/** Every [container, key] location inside a JSON value. */
function locations(v: Json, out: Array<[Record<string, Json> | Json[], string | number]> = []) {
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      out.push([v, i])
      locations(x, out)
    }
  } else if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      out.push([v as Record<string, Json>, k])
      locations((v as Record<string, Json>)[k], out)
    }
  }
  return out
}
function objects(v: Json, out: Array<Record<string, Json>> = []) {
  if (Array.isArray(v)) for (const x of v) objects(x, out)
  else if (v !== null && typeof v === 'object') {
    out.push(v as Record<string, Json>)
    for (const x of Object.values(v)) objects(x, out)
  }
  return out
}

type Mutation =
  | { op: 'replace'; at: number; value: Json }
  | { op: 'addKey'; at: number; key: string; value: Json }
  | { op: 'remove'; at: number }
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: badValue }),
  fc.record({ op: fc.constant('addKey' as const), at: fc.nat(), key: dangerousKey, value: badValue }),
  fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
)

/** The value with the mutations applied (a deep copy; `__proto__` becomes an own, enumerable key). */
export function mutate(value: Json, mutations: Mutation[]): Json {
  const root: { v: Json } = { v: structuredClone(value) }
  for (const m of mutations) {
    if (m.op === 'addKey') {
      const targets = objects(root.v)
      const target = targets.length > 0 ? targets[m.at % targets.length]! : undefined
      if (target) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true })
      continue
    }
    const places = locations(root.v)
    if (places.length === 0) {
      if (m.op === 'replace') root.v = m.value
      continue
    }
    const [container, key] = places[m.at % places.length]!
    if (m.op === 'replace') (container as Record<string | number, Json>)[key] = m.value
    else if (Array.isArray(container)) container.splice(key as number, 1)
    else delete (container as Record<string, Json>)[key as string]
  }
  return root.v
}

const BOM = [0xef, 0xbb, 0xbf]
const INVALID_UTF8 = [[0xff], [0xc3, 0x28], [0xc0, 0xaf], [0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80]]

/** How a JSON value goes on the wire. */
const encoding = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: 'json' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'two boms' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('invalid utf-8' as const), bytes: fc.constantFrom(...INVALID_UTF8), at: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncated' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'padded' as const }) },
)
type Encoding = typeof encoding extends fc.Arbitrary<infer E> ? E : never

function encode(value: Json, e: Encoding): Buffer {
  const text = Buffer.from(JSON.stringify(value) ?? 'null', 'utf8')
  switch (e.kind) {
    case 'json':
      return text
    case 'bom':
      return Buffer.concat([Buffer.from(BOM), text])
    case 'two boms':
      return Buffer.concat([Buffer.from(BOM), Buffer.from(BOM), text])
    case 'invalid utf-8': {
      // Inside the first string value when there is one, else anywhere.
      const quote = text.indexOf('"', text.indexOf(':') + 1)
      const at = quote > 0 ? quote + 1 : e.at % (text.length + 1)
      return Buffer.concat([text.subarray(0, at), Buffer.from(e.bytes), text.subarray(at)])
    }
    case 'truncated':
      return text.subarray(0, e.at % Math.max(text.length, 1))
    case 'padded':
      return Buffer.concat([Buffer.from(' \n\t'), text, Buffer.from('\r\n ')])
  }
}

const body = (value: fc.Arbitrary<Json>) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.tuple(value, encoding).map(([v, e]) => encode(v, e)) },
    {
      weight: 3,
      arbitrary: fc.tuple(value, fc.array(mutation, { minLength: 1, maxLength: 3 }), encoding).map(([v, m, e]) => encode(mutate(v, m), e)),
    },
    { weight: 1, arbitrary: fc.constantFrom(Buffer.alloc(0), Buffer.from('{'), Buffer.from('[]'), Buffer.from('null'), Buffer.from('{}')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)) },
  )

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

const workflowRef = fc.constantFrom(
  '{wf}',
  '{wf2}',
  '{wf3}',
  '{archived}',
  '{wfB}',
  '{gen}',
  '{gen}',
  '{gen}',
  'wf_01KZZZZZZZZZZZZZZZZZZZZZZZ',
  'nope',
  'WF_x',
)
const stepRef = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...STEP_IDS) },
  { weight: 1, arbitrary: fc.constantFrom('face_liveness', 'NOPE', '') },
)
const versionRef = fc.constantFrom('1', '2', '3', '0', '-1', 'abc', '99', '01')

const apiKey = fc.oneof(
  { weight: 12, arbitrary: fc.constant<string | null>('{key}') },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string | null>('{sandbox}', '{keyB}', '{revoked}', null, '', 'wf_live_short', '{key} ', '{key}\t', ' {key}'),
  },
)
const adminToken = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string | null>(ADMIN.authorization) },
  { weight: 1, arbitrary: fc.constantFrom<string | null>(null, 'Bearer wrong', `${ADMIN.authorization} `, 'Basic eDp5') },
)
/** null (the header is not sent) `absent` times in `absent + 1`, a value of `arb` otherwise. */
const sometimes = <T>(arb: fc.Arbitrary<T>, absent: number) =>
  fc.oneof({ weight: absent, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb })
// Not an empty or blank value: workerd drops it before the Worker runs (a platform case).
const ifMatch = sometimes(fc.constantFrom('"1"', '"2"', '"3"', 'W/"1"', '*', '"1", "2"', 'garbage', ' "1" ', '"0"'), 2)
const idempotencyKey = sometimes(fc.constantFrom('g1', 'g2', 'g3', 'x'.repeat(256), ''), 3)
const contentType = fc.oneof(
  { weight: 10, arbitrary: fc.constant<string | null>('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string | null>(
      null,
      'text/plain',
      'application/json; charset=utf-8',
      'application/vnd.x+json',
      'application/x-www-form-urlencoded',
    ),
  },
)
const requestId = sometimes(fc.constantFrom('gen-request-1', 'a b', 'r'.repeat(256), 'x=y_z'), 7)
const padding = sometimes(fc.constantFrom(1000, 12_000, 17_000, 24_000), 14)
const listQuery = fc
  .record(
    {
      limit: fc.constantFrom('1', '2', '5', '100', '1000', '0', '1001', 'x', ''),
      status: fc.constantFrom('active', 'archived', 'x'),
      cursor: fc.constantFrom('{cursor}', '{cursor}x', 'x', ''),
    },
    { requiredKeys: [] },
  )
  .map((q) =>
    Object.entries(q)
      .map(([k, v]) => `${k}=${v}`)
      .join('&'),
  )

/** Methods besides a route's own: mostly ones workerd knows, a few it does not (platform behaviour). */
const otherMethod = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('PUT', 'OPTIONS', 'HEAD', 'TRACE', 'PURGE', 'PATCH', 'DELETE', 'POST', 'GET') },
  { weight: 1, arbitrary: fc.constantFrom('LINK', 'UNLINK', 'FOO', 'M-SEARCH') },
)

interface Route {
  method: string
  path: string
  admin?: boolean
  body?: Buffer | undefined
  save?: Record<string, string> | undefined
}

const route: fc.Arbitrary<Route> = fc.oneof(
  {
    weight: 6,
    arbitrary: body(validCreate).map((b): Route => ({ method: 'POST', path: '/v1/workflows', body: b, save: { gen: '/workflow/id' } })),
  },
  {
    weight: 3,
    arbitrary: sometimes(listQuery, 1).map(
      (q): Route => ({
        method: 'GET',
        path: q === null ? '/v1/workflows' : `/v1/workflows?${q}`,
        save: q === null ? undefined : { cursor: '/next_cursor' },
      }),
    ),
  },
  { weight: 3, arbitrary: workflowRef.map((w): Route => ({ method: 'GET', path: `/v1/workflows/${w}` })) },
  {
    weight: 5,
    arbitrary: fc.tuple(workflowRef, body(validPatch)).map(([w, b]): Route => ({ method: 'PATCH', path: `/v1/workflows/${w}`, body: b })),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(workflowRef, stepRef)
      .chain(([w, s]) =>
        body(validStepConfig(s)).map((b): Route => ({ method: 'PATCH', path: `/v1/workflows/${w}/steps/${s}/config`, body: b })),
      ),
  },
  // Archives only what no other branch leans on ({wf} and {wf2} stay active, so PATCHes keep reaching validation).
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('{gen}', '{wf3}', '{archived}', '{wfB}', 'nope')
      .map((w): Route => ({ method: 'DELETE', path: `/v1/workflows/${w}` })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(workflowRef, sometimes(versionRef, 1))
      .map(([w, n]): Route => ({ method: 'GET', path: `/v1/workflows/${w}/versions${n === null ? '' : `/${n}`}` })),
  },
  {
    weight: 1,
    arbitrary: body(fc.record({ name }, { requiredKeys: [] })).map(
      (b): Route => ({ method: 'POST', path: '/admin/v1/organizations', admin: true, body: b }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('{org}', '{orgB}', 'org_01KZZZZZZZZZZZZZZZZZZZZZZZ'),
        body(fc.record({ mode: fc.constantFrom('live', 'sandbox', 'LIVE', 'other'), name }, { requiredKeys: ['mode'] })),
      )
      .map(([o, b]): Route => ({ method: 'POST', path: `/admin/v1/organizations/${o}/api-keys`, admin: true, body: b })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('{org}', '{orgB}', 'nope')
      .map((o): Route => ({ method: 'GET', path: `/admin/v1/organizations/${o}/api-keys`, admin: true })),
  },
  // Only keys no later request needs: the seed's revoked one, unknown ones.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('{revokedId}', 'key_01KZZZZZZZZZZZZZZZZZZZZZZZ', 'nope')
      .map((k): Route => ({ method: 'DELETE', path: `/admin/v1/api-keys/${k}`, admin: true })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('/health', '/nope', '/v1/nope', '/v1/workflows/', '/admin/v1/nope', '/V1/workflows')
      .map((p): Route => ({ method: 'GET', path: p, admin: p.startsWith('/admin') })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        otherMethod,
        fc.constantFrom(
          '/v1/workflows',
          '/v1/workflows/{wf}',
          '/v1/workflows/{gen}/versions',
          '/v1/workflows/{wf}/steps/FACE_LIVENESS/config',
          '/health',
          '/admin/v1/organizations',
        ),
        sometimes(body(validPatch), 1),
      )
      .filter(([m, p]) => !(m === 'DELETE' && p === '/v1/workflows/{wf}'))
      .map(([m, p, b]): Route => ({ method: m, path: p, admin: p.startsWith('/admin'), body: b ?? undefined })),
  },
)

/** A generated request. */
export const generatedCase: fc.Arbitrary<Case> = fc
  .record({ route, apiKey, adminToken, ifMatch, idempotencyKey, contentType, requestId, padding })
  .map(({ route: r, ...h }): Case => {
    const headers: Headers = {}
    if (r.admin) {
      if (h.adminToken !== null) headers.authorization = h.adminToken
    } else if (h.apiKey !== null) headers['x-api-key'] = h.apiKey
    if (r.body !== undefined && h.contentType !== null) headers['content-type'] = h.contentType
    if (h.ifMatch !== null && (r.method === 'PATCH' || r.method === 'DELETE')) headers['if-match'] = h.ifMatch
    if (h.idempotencyKey !== null && r.method === 'POST') headers['idempotency-key'] = h.idempotencyKey
    if (h.requestId !== null) headers['x-request-id'] = h.requestId
    if (h.padding !== null) headers['x-pad'] = 'p'.repeat(h.padding)
    const c: Case = { method: r.method, path: r.path, headers }
    if (r.body !== undefined) c.body = r.body
    if (r.save !== undefined) c.save = r.save
    return c
  })
