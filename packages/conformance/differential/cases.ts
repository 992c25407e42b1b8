/**
 * The fixed table: requests sent, in this order, to both apps after the seed (seed.ts). Each is
 * compared; a few also carry the contract's answer (`expect`) where the contract or the issue is
 * explicit and the two apps might agree on a wrong answer.
 *
 * Writes whose effect may differ between the apps (known divergences: a second BOM, invalid UTF-8,
 * trailing white space in a key, an empty If-Match, oversized headers) go to organization C or to a
 * workflow made for that one case, so a divergent write does not change what later cases read.
 */
import { EXAMPLE_CREATE_WORKFLOW, STEP_IDS } from '@wf/core'
import { ADMIN, json, SMALL } from './seed.js'
import type { Case } from './send.js'

type Headers = Record<string, string | string[]>
interface Opts {
  key?: string | null
  headers?: Headers
  name?: string | undefined
  save?: Record<string, string>
  expect?: Case['expect'] | undefined
  framing?: Case['framing']
  type?: string | null
  timeoutMs?: number
}

const keyHeader = (key: string | null | undefined): Headers => (key === null ? {} : { 'x-api-key': key ?? '{key}' })

function request(method: string, path: string, body: Buffer | string | undefined, o: Opts = {}): Case {
  const typeHeader: Headers = body === undefined || o.type === null ? {} : { 'content-type': o.type ?? 'application/json' }
  const c: Case = { method, path, headers: { ...keyHeader(o.key), ...typeHeader, ...o.headers } }
  if (body !== undefined) c.body = body
  for (const k of ['name', 'save', 'expect', 'framing', 'timeoutMs'] as const)
    if (o[k] !== undefined) (c as unknown as Record<string, unknown>)[k] = o[k]
  return c
}
const bodyOf = (b: unknown): string | Buffer => (typeof b === 'string' || Buffer.isBuffer(b) ? b : json(b))

export const get = (path: string, o: Opts = {}) => request('GET', path, undefined, o)
export const del = (path: string, o: Opts = {}) => request('DELETE', path, undefined, o)
export const post = (path: string, body: unknown, o: Opts = {}) => request('POST', path, bodyOf(body), o)
export const patch = (path: string, body: unknown, o: Opts = {}) => request('PATCH', path, bodyOf(body), o)
/** POST /v1/workflows. A string or Buffer body is sent as it is (raw JSON text or bytes). */
export const create = (body: unknown, o: Opts = {}) => post('/v1/workflows', body, o)
const adminPost = (path: string, body: unknown, o: Opts = {}) => post(path, body, { key: null, headers: { ...ADMIN, ...o.headers }, ...o })

const wf = (name: string, steps: unknown[]) => ({ name, steps })
const one = (id: string, config?: unknown) => (config === undefined ? { id } : { id, config })

// ---------------------------------------------------------------------------------------------
// 1. Every step and config combination (valid ones 201, invalid ones 400)
// ---------------------------------------------------------------------------------------------

function stepCombinations(): Case[] {
  const out: Case[] = []
  const idv = (config: unknown, name = 'ID') => create(wf(name, [one('ID_VERIFICATION', config)]))
  // Each step alone, without config and with {}.
  for (const id of STEP_IDS) out.push(create(wf(`only ${id}`, [one(id)])), create(wf(`only ${id} {}`, [one(id, {})])))
  // Integer fields at their bounds, on both sides.
  const integers: Array<[string, number, number, Record<string, number>?]> = [
    ['minimum_age', 0, 150, { maximum_age: 150 }],
    ['maximum_age', 18, 150],
    ['expiry_date_years', 0, 100],
    ['escalation_risk_threshold', 0, 100],
  ]
  for (const [field, min, max, extra] of integers) {
    out.push(idv({ [field]: min }), idv({ ...extra, [field]: max }), idv({ [field]: min - 1 }), idv({ ...extra, [field]: max + 1 }))
    out.push(idv({ [field]: 30.5 }), idv({ [field]: '30' }), idv({ [field]: null }), idv({ [field]: true }))
  }
  // Integers as JSON writes them: 18.0 and 1e1 are integers; -0 is 0; 1e400 is not a number JSON can hold.
  out.push(create('{"name":"ID 18.0","steps":[{"id":"ID_VERIFICATION","config":{"minimum_age":18.0}}]}'))
  out.push(create('{"name":"ID 1e1","steps":[{"id":"ID_VERIFICATION","config":{"expiry_date_years":1e1}}]}'))
  out.push(create('{"name":"ID -0","steps":[{"id":"ID_VERIFICATION","config":{"minimum_age":-0}}]}'))
  out.push(create('{"name":"ID 1e400","steps":[{"id":"ID_VERIFICATION","config":{"maximum_age":1e400}}]}'))
  out.push(create('{"name":"ID 2^53+1","steps":[{"id":"ID_VERIFICATION","config":{"maximum_age":9007199254740993}}]}'))
  // Booleans: both values, and what is not a boolean.
  for (const field of [
    'require_secondary_id',
    'require_tertiary_id',
    'face_front_photo_only',
    'require_front_only',
    'enable_fraud_analysis',
  ]) {
    for (const value of [true, false, 'true', 1, null]) out.push(idv({ [field]: value }))
  }
  // Escalation types and the fraud-analysis table (seed's table: every row).
  for (const value of ['none', 'nfc-passport', 'NFC-PASSPORT', '', null, 1, 'sms']) out.push(idv({ escalation_type: value }))
  for (const efa of [undefined, true, false]) {
    for (const et of [undefined, 'none', 'nfc-passport']) {
      const config: Record<string, unknown> = {}
      if (efa !== undefined) config.enable_fraud_analysis = efa
      if (et !== undefined) config.escalation_type = et
      out.push(idv(config, `fraud ${String(efa)} ${String(et)}`))
    }
  }
  out.push(
    idv({ escalation_type: 'none', escalation_risk_threshold: 90 }),
    idv({ escalation_type: 'nfc-passport', escalation_risk_threshold: 0, enable_fraud_analysis: false }),
  )
  // Age ranges on the resolved values.
  for (const config of [
    { minimum_age: 0, maximum_age: 0 },
    { minimum_age: 150, maximum_age: 150 },
    { minimum_age: 18, maximum_age: 18 },
    { minimum_age: 19, maximum_age: 18 },
    { maximum_age: 16 },
    { minimum_age: 52 },
    { minimum_age: 51 },
    { minimum_age: 0, maximum_age: 150 },
    { minimum_age: 151, maximum_age: -1 },
  ]) {
    out.push(idv(config, `ages ${json(config)}`))
  }
  // Every field at once.
  out.push(
    idv({
      minimum_age: 21,
      maximum_age: 65,
      expiry_date_years: 5,
      require_secondary_id: true,
      require_tertiary_id: true,
      face_front_photo_only: true,
      require_front_only: true,
      enable_fraud_analysis: true,
      escalation_type: 'nfc-passport',
      escalation_risk_threshold: 75,
    }),
  )
  // FACE_LIVENESS and AGE_ESTIMATION.
  for (const value of [1, 100, 0, 101, 50.5, '70', null, -1])
    out.push(create(wf('face', [one('FACE_LIVENESS', { confidence_threshold: value })])))
  out.push(create('{"name":"face 1e2","steps":[{"id":"FACE_LIVENESS","config":{"confidence_threshold":1e2}}]}'))
  out.push(create('{"name":"face 70.0","steps":[{"id":"FACE_LIVENESS","config":{"confidence_threshold":70.0}}]}'))
  for (const value of [1, 100, 0, 101, true, 18.5]) out.push(create(wf('age', [one('AGE_ESTIMATION', { minimum_age: value })])))
  // Steps without options: config absent or {} only.
  for (const id of ['PEP_SANCTIONS', 'ADVERSE_MEDIA']) {
    for (const config of [{ x: 1 }, null, [], 'none', { minimum_age: 18 }]) out.push(create(wf(`${id} config`, [one(id, config)])))
  }
  // Unknown config fields, per step.
  out.push(create(wf('unknown', [one('FACE_LIVENESS', { confidence: 70 })])))
  out.push(create(wf('unknown', [one('ID_VERIFICATION', { minimum_agee: 18 })])))
  out.push(create(wf('unknown', [one('AGE_ESTIMATION', { maximum_age: 50 })])))
  // Ordered pairs of steps, and all five in both orders.
  for (const a of STEP_IDS) for (const b of STEP_IDS) if (a !== b) out.push(create(wf(`${a} then ${b}`, [one(a), one(b)])))
  out.push(
    create(EXAMPLE_CREATE_WORKFLOW),
    create(
      wf(
        'all five, reversed',
        [...STEP_IDS].reverse().map((id) => one(id)),
      ),
    ),
  )
  out.push(
    create(
      wf('three', [
        one('AGE_ESTIMATION', { minimum_age: 21 }),
        one('PEP_SANCTIONS', {}),
        one('FACE_LIVENESS', { confidence_threshold: 99 }),
      ]),
    ),
  )
  return out
}

// ---------------------------------------------------------------------------------------------
// 2. Invalid bodies
// ---------------------------------------------------------------------------------------------

const cp = (n: number, ch = 'a') => ch.repeat(n)

function invalidBodies(): Case[] {
  const steps = [one('FACE_LIVENESS')]
  const named = (name: unknown) => create({ name, steps })
  const out: Case[] = []
  // Not JSON, or not an object.
  for (const text of [
    '{',
    '{"name":}',
    '{"name":"a","steps":[],}',
    "{'name':'a'}",
    '{"name":"a" "steps":[]}',
    'NaN',
    '{"a":1} {"b":2}',
    '/* c */ {}',
    '[]',
    '"string"',
    '1',
    'null',
    'true',
    '{"name":"a","steps":[{"id":"FACE_LIVENESS"}]}x',
    ' ',
    '\n\t ',
  ]) {
    out.push(create(text, { name: `not a JSON object: ${JSON.stringify(text)}` }))
  }
  // Names: types, emptiness, length in code points after trimming, unicode, lone surrogates.
  for (const name of [undefined, null, 1, true, [], {}, ['a'], '', ' ', '\t\n', '\u3000', '\u00a0\u00a0', '\ufeff']) {
    out.push(create(name === undefined ? { steps } : { name, steps }, { name: `name ${JSON.stringify(name) ?? 'missing'}` }))
  }
  out.push(named(cp(255)), named(cp(256)), named(`  ${cp(255)}  `), named(`  ${cp(256)}  `), named(cp(255, '😀')), named(cp(256, '😀')))
  out.push(
    named(`${cp(254, 'é')}\u0301`),
    named('Ünïcödé ✓ 名前 مرحبا'),
    named('a\u0000b'),
    named('\u200b'),
    named('e\u0301'),
    named('line\nbreak'),
  )
  // Lone surrogates, written as JSON escapes (JSON.stringify would too).
  for (const escaped of ['\\ud800', '\\udfff', 'a\\ud83d', '\\ude00b', '\\ud83d\\ud83d', '\\ud83d\\ude00']) {
    out.push(create(`{"name":"${escaped}","steps":[{"id":"FACE_LIVENESS"}]}`, { name: `name "${escaped}"` }))
  }
  // Steps: types, emptiness, length, members.
  for (const s of [
    undefined,
    null,
    {},
    'FACE_LIVENESS',
    [],
    [null],
    [1],
    ['FACE_LIVENESS'],
    [{}],
    [{ id: null }],
    [{ id: 'face_liveness' }],
    [{ id: 'UNKNOWN' }],
    [{ id: '' }],
    [{ id: 'FACE_LIVENESS', name: 'x' }],
    [{ id: 'FACE_LIVENESS', config: null }],
    [{ id: 'FACE_LIVENESS', config: [] }],
    [{ id: 'FACE_LIVENESS', config: 'x' }],
    [{ id: 'FACE_LIVENESS', config: 1 }],
  ]) {
    out.push(create(s === undefined ? { name: 'steps' } : { name: 'steps', steps: s }, { name: `steps ${JSON.stringify(s) ?? 'missing'}` }))
  }
  out.push(create(wf('dup', [one('FACE_LIVENESS'), one('PEP_SANCTIONS'), one('FACE_LIVENESS')])))
  out.push(create(wf('6 steps', [...STEP_IDS.map((id) => one(id)), one('PEP_SANCTIONS')])))
  out.push(
    create(
      wf(
        '10 steps',
        [...STEP_IDS, ...STEP_IDS].map((id) => one(id)),
      ),
    ),
  )
  out.push(
    create(
      wf(
        '11 steps',
        [...STEP_IDS, ...STEP_IDS, 'FACE_LIVENESS'].map((id) => one(id)),
      ),
    ),
  )
  out.push(
    create(
      wf(
        '30 steps',
        Array.from({ length: 30 }, () => one('NOPE')),
      ),
    ),
  )
  out.push(create(wf('dup with bad config', [one('FACE_LIVENESS', 5), one('FACE_LIVENESS', { confidence_threshold: 0 })])))
  // Unknown properties at every level, dangerous keys (as JSON text: JSON.parse makes them own properties).
  for (const extra of ['status', 'organization_id', 'id', 'version', 'created_by', 'extra'])
    out.push(create({ name: 'x', steps, [extra]: 'archived' }, { name: `unknown property ${extra}` }))
  for (const text of [
    '{"__proto__":{"polluted":1},"name":"proto","steps":[{"id":"FACE_LIVENESS"}]}',
    '{"name":"proto","steps":[{"id":"FACE_LIVENESS","__proto__":{"config":{"confidence_threshold":1}}}]}',
    '{"name":"proto","steps":[{"id":"FACE_LIVENESS","config":{"__proto__":{"confidence_threshold":1}}}]}',
    '{"constructor":{"prototype":{"x":1}},"name":"c","steps":[{"id":"FACE_LIVENESS"}]}',
    '{"name":"c","steps":[{"id":"ID_VERIFICATION","config":{"constructor":1,"toString":2,"hasOwnProperty":3}}]}',
    '{"name":"c","steps":{"__proto__":[]}}',
    '{"name":"dup","name":"last wins","steps":[{"id":"PEP_SANCTIONS"}]}',
    '{"name":"dup step key","steps":[{"id":"UNKNOWN","id":"ADVERSE_MEDIA"}]}',
  ]) {
    out.push(create(text, { name: `keys: ${text.slice(0, 60)}` }))
  }
  // Nested junk and many problems at once (reported up to a bound).
  out.push(
    create({ name: 'deep', steps, junk: JSON.parse('['.repeat(500) + ']'.repeat(500)) }, { name: 'an unknown property 500 arrays deep' }),
  )
  out.push(
    create(
      { name: 'deep', steps: [one('FACE_LIVENESS', { confidence_threshold: JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) })] },
      { name: 'a config value 200 objects deep' },
    ),
  )
  out.push(
    create(
      { name: 'many', steps, ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`extra${i}`, i])) },
      { name: '30 unknown properties' },
    ),
  )
  out.push(
    create(
      {
        name: 'many',
        steps: Array.from({ length: 12 }, () => one('ID_VERIFICATION', { minimum_age: -1, maximum_age: 999, expiry_date_years: 'x' })),
      },
      { name: 'over 20 problems' },
    ),
  )
  out.push(create({ name: '', steps: [] }), create({}), create({ name: 5, steps: 5, extra: 5 }))
  return out
}

// ---------------------------------------------------------------------------------------------
// 3. Bytes: BOMs, invalid UTF-8, content types, empty bodies
// ---------------------------------------------------------------------------------------------

const BOM = Buffer.from([0xef, 0xbb, 0xbf])
const bytes = (...parts: Array<string | number[] | Buffer>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))))
const smallJson = json(SMALL)

function encodings(): Case[] {
  const C = { key: '{keyC}' }
  const out: Case[] = [
    create(bytes(BOM, smallJson), { name: 'one BOM before the body' }),
    create(bytes(BOM, BOM, smallJson), { ...C, name: 'two BOMs before the body', expect: { status: 400, code: 'invalid_json' } }),
    create(bytes(BOM), { name: 'a BOM and nothing else' }),
    create(bytes(BOM, '   '), { name: 'a BOM and white space' }),
    create(bytes(' ', BOM, smallJson), { name: 'a BOM after a space' }),
    create(bytes([0xff, 0xfe], Buffer.from(smallJson, 'utf16le')), { name: 'UTF-16LE with its BOM' }),
    create(Buffer.from(smallJson, 'utf16le'), { name: 'UTF-16LE without BOM' }),
    create(bytes([0xfe, 0xff]), { name: 'a UTF-16BE BOM only' }),
    patch('/v1/workflows/{wfC}', bytes(BOM, BOM, '{"name":"two BOMs"}'), {
      ...C,
      name: 'PATCH with two BOMs',
      expect: { status: 400, code: 'invalid_json' },
    }),
    adminPost('/admin/v1/organizations', bytes(BOM, BOM, '{"name":"two BOMs"}'), {
      name: 'admin body with two BOMs',
      expect: { status: 400, code: 'invalid_json' },
    }),
  ]
  // Invalid UTF-8 inside a name: the contract's answer is 400 (issue 10, item 9).
  const invalid: Array<[string, number[]]> = [
    ['C3 28 (bad continuation)', [0xc3, 0x28]],
    ['FF', [0xff]],
    ['C0 AF (overlong /)', [0xc0, 0xaf]],
    ['80 (lone continuation)', [0x80]],
    ['E2 82 (truncated)', [0xe2, 0x82]],
    ['ED A0 80 (encoded surrogate)', [0xed, 0xa0, 0x80]],
    ['F4 90 80 80 (past U+10FFFF)', [0xf4, 0x90, 0x80, 0x80]],
  ]
  for (const [what, b] of invalid) {
    out.push(
      create(bytes('{"name":"bad ', b, '","steps":[{"id":"PEP_SANCTIONS"}]}'), {
        ...C,
        name: `invalid UTF-8 in a name: ${what}`,
        expect: { status: 400 },
      }),
    )
  }
  out.push(
    create(bytes('{"name":"bad key","steps":[{"id":"PEP_SANCTIONS"}],"', [0xff], '":1}'), {
      ...C,
      name: 'invalid UTF-8 in an unknown key',
      expect: { status: 400 },
    }),
  )
  out.push(
    adminPost('/admin/v1/organizations', bytes('{"name":"bad ', [0xc3, 0x28], '"}'), {
      name: 'invalid UTF-8 in an organization name',
      expect: { status: 400 },
    }),
  )
  out.push(
    patch('/v1/workflows/{wfC}', bytes('{"name":"bad ', [0xff], '"}'), {
      ...C,
      name: 'invalid UTF-8 in a PATCH name',
      expect: { status: 400 },
    }),
  )
  // Content types.
  for (const type of [
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'APPLICATION/JSON',
    'application/vnd.api+json',
    'application/merge-patch+json',
    'application/json ; charset=utf-8',
    'text/plain',
    'text/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonx',
    'application/json-seq',
    'application/',
    '*/*',
    ' application/json',
    '',
  ]) {
    out.push(create(smallJson, { type, name: `content-type ${JSON.stringify(type)}` }))
  }
  out.push(create(smallJson, { type: null, name: 'a JSON body without content-type' }))
  out.push(create(smallJson, { headers: { 'content-type': ['application/json', 'text/plain'] }, name: 'two content-type headers' }))
  // Empty bodies: POST is invalid_json, PATCH is {}.
  out.push(
    create('', { name: 'empty body' }),
    create('', { type: 'text/plain', name: 'empty body, text/plain' }),
    create('', { type: null, name: 'empty body, no content-type' }),
  )
  out.push(request('POST', '/v1/workflows', undefined, { name: 'no body at all, no framing' }))
  out.push(
    patch('/v1/workflows/{wf2}', '', { name: 'PATCH with an empty body' }),
    patch('/v1/workflows/{wf2}', '', { type: 'text/plain', name: 'PATCH, empty body, text/plain' }),
  )
  out.push(patch('/v1/workflows/{wf2}', '{}', { type: 'text/plain', name: 'PATCH {} as text/plain' }))
  out.push(patch('/v1/workflows/{wf2}/steps/PEP_SANCTIONS/config', '', { name: 'step config PATCH, empty body' }))
  // Framing: chunked bodies, the 64 KiB limit, a Content-Length the body never reaches.
  out.push(create(smallJson, { framing: 'chunked', name: 'a chunked body' }))
  // SMALL with an unknown property "x" padding it to exactly n bytes.
  const pad = (n: number) => `${smallJson.slice(0, -1)},"x":"${'a'.repeat(n - smallJson.length - 7)}"}`
  if (Buffer.byteLength(pad(65536)) !== 65536) throw new Error('pad() is off')
  out.push(create(pad(65536), { name: 'a 65,536-byte body (at the limit: parsed, unknown property)' }))
  out.push(create(pad(65537), { name: 'a 65,537-byte body' }))
  out.push(create(pad(65537), { framing: 'chunked', name: 'a 65,537-byte chunked body' }))
  return out
}

// ---------------------------------------------------------------------------------------------
// 4. Keys and admin tokens
// ---------------------------------------------------------------------------------------------

function credentials(): Case[] {
  const out: Case[] = []
  const keyVariants: Array<[string, string | null | string[]]> = [
    ['a live key', '{key}'],
    ['trailing space', '{key} '],
    ['trailing tab', '{key}\t'],
    ['trailing spaces and tab', '{key}  \t'],
    ['leading space', ' {key}'],
    ['missing', null],
    ['empty', ''],
    ['malformed (short)', 'wf_live_abc'],
    ['malformed (no prefix)', 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq'],
    ['well-formed, unknown', 'wf_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['well-formed unknown sandbox', 'wf_sandbox_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['wrong mode prefix', 'wf_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['44 characters', 'wf_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['revoked', '{revoked}'],
    ['sandbox', '{sandbox}'],
    ['another organization', '{keyB}'],
    ['the key twice', ['{key}', '{key}']],
    ['Bearer in x-api-key', 'Bearer {key}'],
  ]
  for (const [what, key] of keyVariants) {
    const headers: Headers = key === null ? {} : { 'x-api-key': key }
    out.push(get('/v1/workflows?limit=1', { key: null, headers, name: `list, key ${what}` }))
    out.push(get('/v1/workflows/{wf}', { key: null, headers, name: `retrieve, key ${what}` }))
  }
  out.push(get('/v1/workflows/{wf}', { key: null, headers: { authorization: 'Bearer {key}' }, name: 'the key as a Bearer token' }))
  out.push(get('/v1/workflows/{wf}', { key: null, headers: { 'X-API-KEY': '{key}' }, name: 'X-API-KEY in capitals' }))
  // Writes with the white-space variants go to organization C: their effect may differ.
  for (const [what, key] of [
    ['trailing space', '{keyC} '],
    ['trailing tab', '{keyC}\t'],
  ] as const) {
    out.push(create(SMALL, { key, name: `create, key with ${what}` }))
    out.push(patch('/v1/workflows/{wfC}', { name: `renamed (${what})` }, { key, name: `PATCH, key with ${what}` }))
  }
  // Sandbox: reads allowed, writes 403, unknown methods 405 first.
  const sb = { key: '{sandbox}' }
  out.push(
    get('/v1/workflows/{wf}/versions', sb),
    create(SMALL, sb),
    patch('/v1/workflows/{wf}', { name: 'sandbox' }, sb),
    del('/v1/workflows/{wf}', sb),
  )
  out.push(
    patch('/v1/workflows/{wf}/steps/FACE_LIVENESS/config', { config: {} }, sb),
    request('PUT', '/v1/workflows/{wf}', json({ name: 'x' }), sb),
  )
  out.push(create('not json', { ...sb, name: 'sandbox write with a bad body: 403 first' }))
  // Another organization's workflow: 404 exactly as unknown.
  const b = { key: '{keyB}' }
  out.push(
    get('/v1/workflows/{wf}', b),
    patch('/v1/workflows/{wf}', { name: 'B' }, b),
    del('/v1/workflows/{wf}', b),
    get('/v1/workflows/{wf}/versions', b),
    get('/v1/workflows/{wf}/versions/1', b),
  )
  out.push(
    patch('/v1/workflows/{wf}/steps/FACE_LIVENESS/config', { config: {} }, b),
    get('/v1/workflows/{wfB}'),
    get('/v1/workflows/{wfB}', b),
  )
  // Admin tokens.
  const tokens: Array<[string, Headers]> = [
    ['missing', {}],
    ['wrong', { authorization: 'Bearer wrong-token' }],
    ['trailing space', { authorization: `${ADMIN.authorization} ` }],
    ['trailing tab', { authorization: `${ADMIN.authorization}\t` }],
    ['lower-case bearer', { authorization: ADMIN.authorization.replace('Bearer', 'bearer') }],
    ['two spaces', { authorization: ADMIN.authorization.replace('Bearer ', 'Bearer  ') }],
    ['Basic', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['Bearer and nothing', { authorization: 'Bearer ' }],
    ['the token without Bearer', { authorization: ADMIN.authorization.slice(7) }],
    ['an API key instead', { 'x-api-key': '{key}' }],
  ]
  for (const [what, headers] of tokens) {
    out.push(get('/admin/v1/organizations/{org}/api-keys', { key: null, headers, name: `admin list keys, token ${what}` }))
  }
  out.push(
    post(
      '/admin/v1/organizations',
      { name: 'token with trailing space' },
      { key: null, headers: { authorization: `${ADMIN.authorization} ` }, name: 'admin create, token with trailing space' },
    ),
  )
  return out
}

// ---------------------------------------------------------------------------------------------
// 5. The life of workflows: retrieve, update, step configs, archive, versions
// ---------------------------------------------------------------------------------------------

function lifecycle(): Case[] {
  const out: Case[] = [
    get('/v1/workflows/{wf}'),
    get('/v1/workflows/{wf2}'),
    get('/v1/workflows/{archived}'),
    patch('/v1/workflows/{wf2}', { name: 'Small renamed' }),
    patch('/v1/workflows/{wf2}', { name: 'Small renamed' }, { name: 'the same name again: no new version' }),
    patch('/v1/workflows/{wf2}', { name: '  Small renamed  ' }, { name: 'the same name padded: no new version' }),
    patch('/v1/workflows/{wf2}', {}, { name: 'PATCH {}' }),
    patch('/v1/workflows/{wf2}', { steps: [one('FACE_LIVENESS', { confidence_threshold: 90 }), one('PEP_SANCTIONS')] }),
    patch(
      '/v1/workflows/{wf2}',
      { steps: [one('PEP_SANCTIONS'), one('FACE_LIVENESS', { confidence_threshold: 90 })] },
      { name: 'the same steps reordered' },
    ),
    patch('/v1/workflows/{wf2}', { name: 'both', steps: [one('ADVERSE_MEDIA')] }),
    patch('/v1/workflows/{wf2}', { steps: [] }),
    patch('/v1/workflows/{wf2}', { status: 'archived' }),
    patch('/v1/workflows/{wf2}', { name: null }),
    patch('/v1/workflows/{wf2}', { name: '' }),
    patch('/v1/workflows/{wf2}', '[]'),
    patch('/v1/workflows/{wf2}', 'null'),
    patch('/v1/workflows/{wf2}', '{"name":'),
    patch('/v1/workflows/{wf2}', '{"name":"\\ud800"}', { name: 'PATCH a lone surrogate name' }),
    patch('/v1/workflows/{wf2}', { name: cp(256) }),
    patch('/v1/workflows/{wf2}', { name: 'x', steps: [one('FACE_LIVENESS'), one('FACE_LIVENESS')] }),
    get('/v1/workflows/{wf2}/versions'),
    // One step's config.
    create(wf('step configs', [one('ID_VERIFICATION'), one('FACE_LIVENESS'), one('AGE_ESTIMATION'), one('PEP_SANCTIONS')]), {
      save: { wfS: '/workflow/id' },
    }),
    patch('/v1/workflows/{wfS}/steps/FACE_LIVENESS/config', { config: { confidence_threshold: 85 } }),
    patch(
      '/v1/workflows/{wfS}/steps/FACE_LIVENESS/config',
      { config: { confidence_threshold: 85 } },
      { name: 'the same config again: no new version' },
    ),
    patch('/v1/workflows/{wfS}/steps/FACE_LIVENESS/config', { config: {} }),
    patch('/v1/workflows/{wfS}/steps/FACE_LIVENESS/config', {}, { name: 'config missing' }),
    patch('/v1/workflows/{wfS}/steps/FACE_LIVENESS/config', { config: { confidence_threshold: 0 } }),
    patch('/v1/workflows/{wfS}/steps/FACE_LIVENESS/config', { config: { confidence_threshold: 50 }, extra: 1 }),
    patch('/v1/workflows/{wfS}/steps/FACE_LIVENESS/config', { config: null }),
    patch('/v1/workflows/{wfS}/steps/FACE_LIVENESS/config', { config: { nope: 1 } }),
    patch('/v1/workflows/{wfS}/steps/ID_VERIFICATION/config', { config: { escalation_type: 'nfc-passport' } }),
    patch(
      '/v1/workflows/{wfS}/steps/ID_VERIFICATION/config',
      { config: { escalation_type: 'none' } },
      { name: 'escalation back to none: fraud analysis stays true' },
    ),
    patch('/v1/workflows/{wfS}/steps/ID_VERIFICATION/config', { config: { enable_fraud_analysis: false } }),
    patch(
      '/v1/workflows/{wfS}/steps/ID_VERIFICATION/config',
      { config: { maximum_age: 16 } },
      { name: 'age rule against the stored minimum' },
    ),
    patch(
      '/v1/workflows/{wfS}/steps/ID_VERIFICATION/config',
      { config: { minimum_age: 60 } },
      { name: 'age rule against the stored maximum' },
    ),
    patch('/v1/workflows/{wfS}/steps/ID_VERIFICATION/config', { config: { minimum_age: 10, maximum_age: 20 } }),
    patch('/v1/workflows/{wfS}/steps/AGE_ESTIMATION/config', { config: { minimum_age: 100 } }),
    patch('/v1/workflows/{wfS}/steps/PEP_SANCTIONS/config', { config: {} }),
    patch('/v1/workflows/{wfS}/steps/PEP_SANCTIONS/config', { config: { x: 1 } }),
    patch('/v1/workflows/{wfS}/steps/ADVERSE_MEDIA/config', { config: {} }, { name: 'a catalog step not in the workflow' }),
    patch('/v1/workflows/{wfS}/steps/face_liveness/config', { config: {} }, { name: 'a step id in lower case' }),
    patch('/v1/workflows/{wfS}/steps/NOPE/config', { config: {} }),
    patch(
      '/v1/workflows/{wfS}/steps/NOPE/config',
      { config: { confidence_threshold: 0 } },
      { name: 'bad step and bad body: the body first' },
    ),
    patch(
      '/v1/workflows/wf_01KZZZZZZZZZZZZZZZZZZZZZZZ/steps/FACE_LIVENESS/config',
      { config: { confidence_threshold: 0 } },
      { name: 'unknown workflow, bad body: 400 before 404' },
    ),
    patch('/v1/workflows/wf_01KZZZZZZZZZZZZZZZZZZZZZZZ/steps/FACE_LIVENESS/config', { config: {} }),
    get('/v1/workflows/{wfS}'),
    get('/v1/workflows/{wfS}/versions'),
    // Archive.
    del('/v1/workflows/{wf3}'),
    del('/v1/workflows/{wf3}', { name: 'archive again: 200, unchanged' }),
    del('/v1/workflows/{wf3}', { headers: { 'if-match': '"1"' }, name: 'archive again with a stale If-Match: 200' }),
    patch('/v1/workflows/{wf3}', { name: 'archived?' }),
    patch('/v1/workflows/{wf3}', {}, { name: 'PATCH {} of an archived workflow: 409' }),
    patch('/v1/workflows/{wf3}', { name: 'x' }, { headers: { 'if-match': '"1"' }, name: 'archived and stale If-Match: 409 first' }),
    patch('/v1/workflows/{wf3}/steps/FACE_LIVENESS/config', { config: {} }),
    patch('/v1/workflows/{wf3}/steps/ADVERSE_MEDIA/config', { config: {} }, { name: 'archived, step not in it: 409 first' }),
    get('/v1/workflows/{wf3}'),
    get('/v1/workflows/{wf3}/versions'),
    del('/v1/workflows/wf_01KZZZZZZZZZZZZZZZZZZZZZZZ'),
    del('/v1/workflows/{wfB}'),
    // Versions.
    get('/v1/workflows/{wf2}/versions/1'),
    get('/v1/workflows/{wf2}/versions/2'),
    get('/v1/workflows/{wf2}/versions/99'),
    get('/v1/workflows/{wf2}/versions/0'),
    get('/v1/workflows/{wf2}/versions/-1'),
    get('/v1/workflows/{wf2}/versions/abc'),
    get('/v1/workflows/{wf2}/versions/1.5'),
    get('/v1/workflows/{wf2}/versions/01'),
    get('/v1/workflows/{wf2}/versions/1e0'),
    get('/v1/workflows/{wf2}/versions/%31'),
    get('/v1/workflows/{wf2}/versions/99999999999999999999'),
    get('/v1/workflows/wf_01KZZZZZZZZZZZZZZZZZZZZZZZ/versions'),
    get('/v1/workflows/wf_01KZZZZZZZZZZZZZZZZZZZZZZZ/versions/abc', { name: 'unknown workflow, bad version' }),
    // Bodies on GET and DELETE are ignored.
    request('GET', '/v1/workflows/{wf}', '{"name":"ignored"}', { name: 'GET with a body' }),
    request('GET', '/v1/workflows/{wf}', 'not json', { type: 'text/plain', name: 'GET with a text body' }),
    request('DELETE', '/v1/workflows/{archived}', '{"x":1}', { name: 'DELETE with a body' }),
  ]
  return out
}

// ---------------------------------------------------------------------------------------------
// 6. If-Match: each variant on a workflow of its own (organization C), then read back
// ---------------------------------------------------------------------------------------------

function ifMatch(): Case[] {
  const out: Case[] = []
  const C = { key: '{keyC}' }
  let n = 0
  const variants: Array<[string, string | string[], 'patch' | 'delete' | 'step', number?]> = [
    ['"1" (current)', '"1"', 'patch', 200],
    ['W/"1"', 'W/"1"', 'patch', 200],
    ['*', '*', 'patch', 200],
    ['"2" (stale)', '"2"', 'patch', 412],
    ['a list with the current version', '"7", "1"', 'patch', 200],
    ['a list without it', '"7", W/"8"', 'patch', 412],
    ['* with garbage', '*, garbage', 'patch', 412],
    ['1 (unquoted)', '1', 'patch', 412],
    ["'1'", "'1'", 'patch', 412],
    ['"01"', '"01"', 'patch', 412],
    ['"1.0"', '"1.0"', 'patch', 412],
    ['"-1"', '"-1"', 'patch', 412],
    ['"0"', '"0"', 'patch', 412],
    ['W/1', 'W/1', 'patch', 412],
    ['"1" padded', '  "1"  ', 'patch', 200],
    ['",', ',', 'patch'],
    ['"1",', '"1",', 'patch'],
    ['a huge number', '"99999999999999999999"', 'patch', 412],
    ['garbage', 'garbage', 'patch', 412],
    ['two If-Match headers', ['"1"', '"2"'], 'patch', 200],
    ['stale on DELETE', '"5"', 'delete', 412],
    ['current on DELETE', '"1"', 'delete', 200],
    ['stale on a step config PATCH', '"3"', 'step', 412],
    ['W/"1" on a step config PATCH', 'W/"1"', 'step', 200],
  ]
  for (const [what, value, verb, status] of variants) {
    const v = `ifm${++n}`
    out.push(
      create(wf(`If-Match ${what}`, [one('FACE_LIVENESS')]), {
        ...C,
        save: { [v]: '/workflow/id' },
        name: `a workflow for If-Match ${what}`,
      }),
    )
    const headers = { 'if-match': value }
    const expect = status === undefined ? undefined : { status }
    const name = `If-Match ${what}`
    if (verb === 'patch') out.push(patch(`/v1/workflows/{${v}}`, { name: 'changed' }, { ...C, headers, name, expect }))
    else if (verb === 'delete') out.push(del(`/v1/workflows/{${v}}`, { ...C, headers, name, expect }))
    else
      out.push(
        patch(`/v1/workflows/{${v}}/steps/FACE_LIVENESS/config`, { config: { confidence_threshold: 12 } }, { ...C, headers, name, expect }),
      )
    out.push(get(`/v1/workflows/{${v}}`, { ...C, name: `read back after If-Match ${what}` }))
  }
  // For the platform cases of an empty If-Match (platform.ts), which the local runtime drops.
  out.push(
    create(wf('If-Match left empty', [one('FACE_LIVENESS')]), {
      ...C,
      save: { ifmEmpty: '/workflow/id' },
      name: 'a workflow for the empty If-Match platform cases',
    }),
  )
  // A sequence on one workflow: the version moves, the old ETag stops matching.
  out.push(patch('/v1/workflows/{wf}', { name: 'v2' }, { headers: { 'if-match': '"1"' } }))
  out.push(patch('/v1/workflows/{wf}', { name: 'v3?' }, { headers: { 'if-match': '"1"' }, name: 'the ETag of version 1 after version 2' }))
  out.push(patch('/v1/workflows/{wf}', { name: 'v3' }, { headers: { 'if-match': 'W/"2"' } }))
  out.push(get('/v1/workflows/{wf}'), get('/v1/workflows/{wf}/versions'), get('/v1/workflows/{wf}/versions/2'))
  return out
}

// ---------------------------------------------------------------------------------------------
// 7. Idempotency keys
// ---------------------------------------------------------------------------------------------

function idempotency(): Case[] {
  const h = (k: string | string[]) => ({ headers: { 'idempotency-key': k } })
  const body = wf('idempotent', [one('FACE_LIVENESS', { confidence_threshold: 42 })])
  return [
    create(body, { ...h('key-1'), name: 'first use of an Idempotency-Key' }),
    create(body, { ...h('key-1'), name: 'the replay' }),
    create('{ "steps":[{"config":{"confidence_threshold":42},"id":"FACE_LIVENESS"}], "name":"idempotent" }', {
      ...h('key-1'),
      name: 'the same JSON, other order and spacing: replay',
    }),
    create(wf('other', [one('PEP_SANCTIONS')]), { ...h('key-1'), name: 'the key with another body: 422' }),
    create(body, { ...h('KEY-1'), name: 'the key in capitals is another key' }),
    create(body, { key: '{keyB}', ...h('key-1'), name: 'the same key in another organization' }),
    create(body, { key: '{sandbox}', ...h('key-1'), name: 'the key with a sandbox key' }),
    create({ name: '', steps: [] }, { ...h('key-2'), name: 'a failed request is not stored' }),
    create(body, { ...h('key-2'), name: 'its retry, valid: 201' }),
    create(body, { ...h('k'.repeat(255)), name: 'a key of 255 characters' }),
    create(body, { ...h('k'.repeat(256)), name: 'a key of 256 characters' }),
    create(body, { ...h(''), name: 'an empty Idempotency-Key' }),
    create(body, { ...h('with spaces inside'), name: 'a key with spaces' }),
    create(body, { ...h('key-3 '), name: 'a key with a trailing space' }),
    create(body, { ...h(['key-4', 'key-5']), name: 'two Idempotency-Key headers' }),
    create(body, { ...h('key-4, key-5'), name: 'their joined value' }),
    create('not json', { ...h('key-6'), name: 'bad JSON with a key' }),
    patch('/v1/workflows/{wf}', { name: 'v3' }, { ...h('key-1'), name: 'Idempotency-Key on PATCH is ignored' }),
  ]
}

// ---------------------------------------------------------------------------------------------
// 8. Paths and methods
// ---------------------------------------------------------------------------------------------

function paths(): Case[] {
  const out: Case[] = []
  for (const path of [
    '/v1/workflows/',
    '/v1/workflows/{wf}/',
    '/v1/workflows/{wf}/versions/',
    '/V1/workflows',
    '/v1/Workflows',
    '/v1/WORKFLOWS/{wf}',
    '/v1//workflows',
    '/v1/workflows//{wf}',
    '/v1',
    '/v1/',
    '/v2/workflows',
    '/',
    '/health/',
    '/HEALTH',
    '/health?x=1',
    '/console/',
    '/v1/workflows/unknown-id',
    '/v1/workflows/wf_',
    '/v1/workflows/wf_01kzzzzzzzzzzzzzzzzzzzzzzz',
    '/v1/workflows/{wfB}',
    '/v1/workflows/%7Bwf%7D',
    '/v1/workflows/%2e%2e',
    '/v1/workflows/..%2fworkflows',
    `/v1/workflows/wf_${'Z'.repeat(300)}`,
    '/v1/workflows/{wf}/steps',
    '/v1/workflows/{wf}/steps/FACE_LIVENESS',
    '/v1/workflows/{wf}/steps/FACE_LIVENESS/config',
    '/v1/workflows/{wf}/unknown',
    '/v1/workflows?unknown=1&limit=1',
    '/v1/workflows/{wf}?x=y',
    '/v1/workflows/{wf}#fragment',
    '/v1/workflows/%77f_x',
    '/admin/v1/organizations',
    '/admin/v1/unknown',
    '/admin/v1/organizations/{org}',
    '/admin/v1/organizations/org_01KZZZZZZZZZZZZZZZZZZZZZZZ/api-keys',
    '/admin/v1/api-keys/{keyId}',
    '/admin',
    '/openapi.json',
    '/openapi.yaml',
  ]) {
    const headers: Headers = path.startsWith('/admin') ? { ...ADMIN } : {}
    out.push(get(path, { headers, name: `GET ${path}` }))
  }
  out.push(get('/v1/unknown', { key: null, name: 'an unknown /v1 route without a key: 401' }))
  out.push(get('/nope', { key: null, name: 'an unknown route without a key: 404' }))
  // Methods on every route (PATCH, DELETE and POST where they are not served; never revoking a key in use).
  const routes = [
    '/v1/workflows',
    '/v1/workflows/{wf}',
    '/v1/workflows/{wf}/versions',
    '/v1/workflows/{wf}/versions/1',
    '/v1/workflows/{wf}/steps/FACE_LIVENESS/config',
    '/health',
    '/openapi.json',
    '/admin/v1/organizations',
    '/admin/v1/organizations/{org}/api-keys',
    '/admin/v1/api-keys/{revokedId}',
  ]
  for (const route of routes) {
    const headers: Headers = route.startsWith('/admin') ? { ...ADMIN } : {}
    for (const method of ['PUT', 'OPTIONS', 'HEAD', 'TRACE', 'PURGE']) {
      out.push(request(method, route, method === 'PUT' ? json({ name: 'x' }) : undefined, { headers, name: `${method} ${route}` }))
    }
  }
  out.push(request('PATCH', '/v1/workflows', json({ name: 'x' }), { name: 'PATCH on the collection' }))
  out.push(request('DELETE', '/v1/workflows', undefined, { name: 'DELETE on the collection' }))
  out.push(request('POST', '/v1/workflows/{wf}', json(SMALL), { name: 'POST on a workflow' }))
  out.push(request('POST', '/v1/workflows/{wf}/versions', json(SMALL), { name: 'POST on versions' }))
  out.push(request('DELETE', '/v1/workflows/{wf}/versions/1', undefined, { name: 'DELETE a version' }))
  out.push(request('GET', '/v1/workflows/{wf}/steps/FACE_LIVENESS/config', undefined, { name: 'GET a step config' }))
  out.push(request('PUT', '/v1/workflows/{wf}', json({ name: 'x' }), { key: '{sandbox}', name: 'sandbox PUT: 405 before 403' }))
  out.push(request('PUT', '/v1/unknown', undefined, { name: 'PUT on an unknown /v1 route' }))
  out.push(
    request('PATCH', '/admin/v1/organizations', json({ name: 'x' }), {
      key: null,
      headers: { ...ADMIN },
      name: 'PATCH admin organizations',
    }),
  )
  out.push(request('DELETE', '/health', undefined, { key: null, name: 'DELETE /health' }))
  out.push(request('QUERY', '/v1/workflows', undefined, { name: 'QUERY (a method workerd knows)' }))
  return out
}

// ---------------------------------------------------------------------------------------------
// 9. Admin: organizations and keys
// ---------------------------------------------------------------------------------------------

function adminCalls(): Case[] {
  const org = (body: unknown, name?: string, expect?: Case['expect']) => adminPost('/admin/v1/organizations', body, { name, expect })
  const out: Case[] = [
    org({ name: 'Plain' }),
    org({ name: '  Padded  ' }),
    org({ name: 'Ünïcödé ✓ 名前' }),
    org({ name: cp(255) }),
    org({ name: cp(256) }),
    org({ name: cp(255, '😀') }),
    org({ name: '' }),
    org({ name: '   ' }),
    org({ name: null }),
    org({ name: 1 }),
    org({}),
    org({ name: 'x', extra: 1 }),
    org([]),
    org('not json', 'not JSON'),
    org('', 'empty body'),
    adminPost('/admin/v1/organizations', json({ name: 'text' }), { type: 'text/plain', name: 'organization as text/plain' }),
    org('{"name":"\\ud800"}', 'an organization name with a lone surrogate', { status: 400 }),
    org('{"name":"a\\udfff"}', 'an organization name ending in a lone low surrogate', { status: 400 }),
    org('{"name":"\\ud83d\\ude00"}', 'an organization name with a surrogate pair'),
    org('{"__proto__":{"name":"x"}}', 'an organization body with __proto__'),
    adminPost('/admin/v1/organizations', { name: 'Keys' }, { save: { orgK: '/organization/id' } }),
  ]
  const key = (body: unknown, name?: string, path = '/admin/v1/organizations/{orgK}/api-keys') => adminPost(path, body, { name })
  out.push(
    key({ mode: 'live' }),
    key({ mode: 'sandbox', name: 'named' }),
    key({ mode: 'LIVE' }),
    key({ mode: 'test' }),
    key({}),
    key({ mode: null }),
    key({ mode: 'live', name: '' }),
    key({ mode: 'live', name: cp(256) }),
    key({ mode: 'live', name: 5 }),
    key({ mode: 'live', extra: true }),
    key('{"mode":"live","name":"\\ud800"}', 'a key name with a lone surrogate'),
    key({ mode: 'live' }, 'keys of an unknown organization', '/admin/v1/organizations/org_01KZZZZZZZZZZZZZZZZZZZZZZZ/api-keys'),
    key({ mode: 'live' }, 'keys of a malformed organization id', '/admin/v1/organizations/nope/api-keys'),
    key({ mode: 'nope' }, 'a bad body for an unknown organization', '/admin/v1/organizations/nope/api-keys'),
    adminPost(
      '/admin/v1/organizations/{orgK}/api-keys',
      { mode: 'live' },
      { save: { keyK: '/secret', keyKId: '/api_key/id' }, name: 'a key to revoke' },
    ),
    get('/v1/workflows', { key: '{keyK}', name: 'the new key works' }),
    get('/admin/v1/organizations/{orgK}/api-keys', { key: null, headers: { ...ADMIN } }),
    del('/admin/v1/api-keys/{keyKId}', { key: null, headers: { ...ADMIN }, name: 'revoke' }),
    get('/v1/workflows', { key: '{keyK}', name: 'the revoked key at once: 401' }),
    del('/admin/v1/api-keys/{keyKId}', { key: null, headers: { ...ADMIN }, name: 'revoke again: the first revoked_at' }),
    del('/admin/v1/api-keys/key_01KZZZZZZZZZZZZZZZZZZZZZZZ', { key: null, headers: { ...ADMIN } }),
    del('/admin/v1/api-keys/nope', { key: null, headers: { ...ADMIN } }),
    get('/admin/v1/organizations/{orgK}/api-keys', { key: null, headers: { ...ADMIN }, name: 'the list with the revoked key' }),
    get('/admin/v1/organizations/org_01KZZZZZZZZZZZZZZZZZZZZZZZ/api-keys', { key: null, headers: { ...ADMIN } }),
  )
  return out
}

// ---------------------------------------------------------------------------------------------
// 10. Paging
// ---------------------------------------------------------------------------------------------

function paging(): Case[] {
  const out: Case[] = []
  for (const q of [
    'limit=0',
    'limit=1',
    'limit=100',
    'limit=101',
    'limit=1000',
    'limit=1001',
    'limit=-1',
    'limit=abc',
    'limit=1.5',
    'limit=01',
    'limit=',
    'limit=1&limit=2',
    'limit=%31',
    'limit=+1',
    'limit=99999',
  ]) {
    out.push(get(`/v1/workflows?${q}`, { name: `list ?${q}` }))
  }
  for (const q of ['status=active&limit=3', 'status=archived', 'status=ACTIVE', 'status=', 'status=deleted', 'status=archived&limit=1']) {
    out.push(get(`/v1/workflows?${q}`, { name: `list ?${q}` }))
  }
  out.push(get('/v1/workflows?limit=2', { save: { cursor: '/next_cursor' }, name: 'page 1 of 2' }))
  out.push(get('/v1/workflows?limit=2&cursor={cursor}', { save: { cursor2: '/next_cursor' }, name: 'page 2' }))
  out.push(get('/v1/workflows?limit=2&cursor={cursor2}', { name: 'page 3' }))
  out.push(get('/v1/workflows?limit=2&cursor={cursor}&status=archived', { name: 'a cursor with a status filter' }))
  for (const [what, c] of [
    ['a character appended', '{cursor}x'],
    ['a character prepended', 'x{cursor}'],
    ['padding added', '{cursor}=='],
    ['empty', ''],
    ['not base64', '!!!!'],
    ['base64 of junk', 'anVuaw'],
    ['base64 of an org id', 'b3JnXzAxS1paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo'],
    ['very long', 'A'.repeat(2000)],
    ['a unicode escape', '%E2%9C%93'],
  ] as const) {
    out.push(get(`/v1/workflows?limit=2&cursor=${c}`, { name: `a cursor with ${what}` }))
  }
  out.push(get('/v1/workflows?limit=1', { key: '{keyB}', save: { cursorB: '/next_cursor' }, name: 'organization B, page 1' }))
  out.push(get('/v1/workflows?limit=2&cursor={cursorB}', { name: "organization B's cursor used by A" }))
  out.push(get('/v1/workflows?cursor={cursor}&limit=0', { name: 'a good cursor and a bad limit' }))
  out.push(get('/v1/workflows?limit=0&status=x&cursor=x', { name: 'three bad parameters' }))
  out.push(get('/v1/workflows', { key: '{keyB}', name: "organization B's whole list" }))
  out.push(get('/v1/workflows', { name: "organization A's whole list" }))
  return out
}

// ---------------------------------------------------------------------------------------------
// 11. Header sizes, header counts, x-request-id
// ---------------------------------------------------------------------------------------------

function headerSizes(): Case[] {
  const out: Case[] = []
  for (const kib of [12, 15, 16, 17, 20, 32, 64, 100]) {
    out.push(get('/v1/workflows?limit=1', { headers: { 'x-pad': 'a'.repeat(kib * 1024) }, name: `a ${kib} KiB header` }))
  }
  out.push(get('/health', { key: null, headers: { 'x-pad': 'a'.repeat(18 * 1024) }, name: 'an 18 KiB header on /health' }))
  out.push(create(SMALL, { key: '{keyC}', headers: { 'x-pad': 'a'.repeat(18 * 1024) }, name: 'an 18 KiB header on a create' }))
  for (const kib of [12, 17, 20]) out.push(get(`/v1/workflows?limit=1&pad=${'a'.repeat(kib * 1024)}`, { name: `a ${kib} KiB URL` }))
  out.push(
    get('/v1/workflows?limit=1', {
      headers: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`x-pad-${i}`, 'a'.repeat(2000)])),
      name: 'ten 2,000-byte headers (20 KB)',
    }),
  )
  const many = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`x-h${i}`, '1']))
  for (const count of [100, 999, 1000, 1500])
    out.push(get('/v1/workflows?limit=1', { headers: many(count), name: `${count} small headers` }))
  out.push(
    get('/v1/workflows?limit=1', { key: null, headers: { ...many(1000), 'x-api-key': '{key}' }, name: 'the key after 1000 small headers' }),
  )
  return out
}

function requestIds(): Case[] {
  const out: Case[] = []
  for (const [what, id] of [
    ['sane', 'client-id-123'],
    ['with = and _', 'a_b=c'],
    ['255 characters', 'r'.repeat(255)],
    ['256 characters', 'r'.repeat(256)],
    ['a space inside', 'a b'],
    ['a dot', 'a.b'],
    ['a slash', 'a/b'],
    ['empty', ''],
    ['a trailing space', 'abc '],
    ['a latin-1 byte', 'caf\u00e9'],
    ['req_ shaped', 'req_01KZZZZZZZZZZZZZZZZZZZZZZZ'],
  ] as const) {
    out.push(get('/v1/workflows?limit=1', { headers: { 'x-request-id': id }, name: `x-request-id ${what}` }))
  }
  out.push(get('/v1/workflows', { key: null, headers: { 'x-request-id': 'on-a-401' }, name: 'x-request-id echoed on a 401' }))
  out.push(get('/nope', { key: null, headers: { 'x-request-id': 'on-a-404' }, name: 'x-request-id echoed on a 404' }))
  out.push(create('{', { headers: { 'x-request-id': 'on-a-400' }, name: 'x-request-id echoed on a 400' }))
  out.push(get('/health', { key: null, headers: { 'x-request-id': 'on-health' } }))
  out.push(get('/admin/v1/organizations/{org}/api-keys', { key: null, headers: { ...ADMIN, 'x-request-id': 'on-admin' } }))
  out.push(get('/v1/workflows?limit=1', { headers: { 'x-request-id': ['one', 'two'] }, name: 'two x-request-id headers' }))
  out.push(get('/health', { key: null, headers: { expect: '200-ok' }, name: 'Expect: 200-ok' }))
  out.push(create(SMALL, { headers: { expect: 'something-else' }, name: 'a create with Expect: something-else' }))
  return out
}

export const SECTIONS: Array<[string, Case[]]> = [
  ['steps and configs', stepCombinations()],
  ['invalid bodies', invalidBodies()],
  ['bytes and content types', encodings()],
  ['keys and admin tokens', credentials()],
  ['workflow life', lifecycle()],
  ['If-Match', ifMatch()],
  ['idempotency', idempotency()],
  ['paths and methods', paths()],
  ['admin', adminCalls()],
  ['paging', paging()],
  ['header sizes', headerSizes()],
  ['request ids', requestIds()],
]

export const FIXED_CASES: Case[] = SECTIONS.flatMap(([, cases]) => cases)
