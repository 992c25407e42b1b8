import { describe, expect, it } from 'vitest'
import { MAX_ISSUES } from './issues.js'
import { parseCreateWorkflow, parseUpdateWorkflow } from './parse-workflow.js'

const ok = (input: unknown) => {
  const r = parseCreateWorkflow(input)
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.issues)}`)
  return r.value
}
const issuesOf = (input: unknown) => {
  const r = parseCreateWorkflow(input)
  if (r.ok) throw new Error(`expected issues, got ok ${JSON.stringify(r.value)}`)
  return r.issues
}
const body = (steps: unknown[], name: unknown = 'KYC') => ({ name, steps })
const idv = (config: unknown) => body([{ id: 'ID_VERIFICATION', config }])

const ID_DEFAULTS = {
  minimum_age: 18,
  maximum_age: 51,
  expiry_date_years: 2,
  require_secondary_id: false,
  require_tertiary_id: false,
  face_front_photo_only: false,
  require_front_only: false,
  enable_fraud_analysis: false,
  escalation_type: 'none',
  escalation_risk_threshold: 60,
}

describe('resolution (contract §1)', () => {
  it('fills every field with its default, in the contract order', () => {
    const v = ok(
      body([
        { id: 'ID_VERIFICATION' },
        { id: 'FACE_LIVENESS' },
        { id: 'AGE_ESTIMATION' },
        { id: 'PEP_SANCTIONS' },
        { id: 'ADVERSE_MEDIA', config: {} },
      ]),
    )
    expect(v.steps).toEqual([
      { id: 'ID_VERIFICATION', config: ID_DEFAULTS },
      { id: 'FACE_LIVENESS', config: { confidence_threshold: 70 } },
      { id: 'AGE_ESTIMATION', config: { minimum_age: 18 } },
      { id: 'PEP_SANCTIONS', config: {} },
      { id: 'ADVERSE_MEDIA', config: {} },
    ])
    expect(Object.keys(v.steps[0]!.config)).toEqual(Object.keys(ID_DEFAULTS))
  })

  it('keeps the step order given and the values given', () => {
    const v = ok(body([{ id: 'PEP_SANCTIONS' }, { id: 'FACE_LIVENESS', config: { confidence_threshold: 99 } }]))
    expect(v.steps.map((s) => s.id)).toEqual(['PEP_SANCTIONS', 'FACE_LIVENESS'])
    expect(v.steps[1]!.config).toEqual({ confidence_threshold: 99 })
  })

  it.each([
    // [enable_fraud_analysis given, escalation_type, resolved enable_fraud_analysis] — the seed's table
    [undefined, undefined, false],
    [false, 'none', false],
    [true, 'none', true],
    [undefined, 'nfc-passport', true],
    [true, 'nfc-passport', true],
    [false, 'nfc-passport', true],
  ])('enable_fraud_analysis %s with escalation_type %s resolves to %s', (given, type, expected) => {
    const v = ok(idv({ enable_fraud_analysis: given, escalation_type: type }))
    expect(v.steps[0]!.config).toMatchObject({ enable_fraud_analysis: expected, escalation_type: type ?? 'none' })
  })

  it('stores escalation_risk_threshold while escalation_type is none', () => {
    expect(ok(idv({ escalation_risk_threshold: 90 })).steps[0]!.config).toMatchObject({
      escalation_type: 'none',
      escalation_risk_threshold: 90,
      enable_fraud_analysis: false,
    })
  })

  it('resolving a resolved workflow returns it unchanged', () => {
    const once = ok(body([{ id: 'ID_VERIFICATION', config: { escalation_type: 'nfc-passport' } }, { id: 'FACE_LIVENESS' }]))
    expect(ok(once)).toEqual(once)
  })

  it('never mutates its input', () => {
    const input = body([{ id: 'ID_VERIFICATION', config: { escalation_type: 'nfc-passport' } }], '  Trim me  ')
    const copy = structuredClone(input)
    ok(input)
    expect(input).toEqual(copy)
  })
})

describe('name (contract §2, §8)', () => {
  const astral = '😀' // one code point, two UTF-16 units
  it.each([
    ['a', 'a'],
    ['  padded \n', 'padded'],
    ['x'.repeat(255), 'x'.repeat(255)],
    [astral.repeat(255), astral.repeat(255)],
    [`  ${'y'.repeat(255)}\t`, 'y'.repeat(255)],
    ['a\u0001b', 'a\u0001b'], // the control character next to U+0000 is stored as sent
  ])('accepts %j and stores it trimmed', (name, stored) => {
    expect(ok(body([{ id: 'PEP_SANCTIONS' }], name)).name).toBe(stored)
  })

  it.each([
    ['x'.repeat(256), 'must be a string of 1 to 255 characters after trimming white space; it has 256'],
    [astral.repeat(256), 'must be a string of 1 to 255 characters after trimming white space; it has 256'],
    ['', 'must not be empty or only white space; must be a string of 1 to 255 characters'],
    [' \t\n\u00a0\u2003', 'must not be empty or only white space; must be a string of 1 to 255 characters'],
    ['bad \ud800 name', 'must be valid Unicode text: it contains a lone surrogate'],
    ['\udc00', 'must be valid Unicode text: it contains a lone surrogate'],
    ['bad \u0000 name', 'must not contain the character U+0000 (NUL)'],
    ['\u0000', 'must not contain the character U+0000 (NUL)'],
    [42, 'must be a string of 1 to 255 characters'],
    [null, 'must be a string of 1 to 255 characters'],
    [['KYC'], 'must be a string of 1 to 255 characters'],
  ])('rejects %j', (name, message) => {
    expect(issuesOf(body([{ id: 'PEP_SANCTIONS' }], name))).toEqual([{ path: '/name', message }])
  })

  it('is required', () => {
    expect(issuesOf({ steps: [{ id: 'PEP_SANCTIONS' }] })).toEqual([{ path: '/name', message: 'is required' }])
  })
})

describe('steps (contract §2)', () => {
  it('is required', () => {
    expect(issuesOf({ name: 'x' })).toEqual([{ path: '/steps', message: 'is required' }])
  })

  it.each([[{}], ['ID_VERIFICATION'], [null], [3]])('must be an array, not %j', (steps) => {
    expect(issuesOf({ name: 'x', steps })).toEqual([{ path: '/steps', message: 'must be an array of 1 to 10 steps' }])
  })

  it('rejects an empty list', () => {
    expect(issuesOf(body([]))).toEqual([{ path: '/steps', message: 'must have 1 to 10 steps; it has 0' }])
  })

  it('accepts one step', () => {
    expect(ok(body([{ id: 'ADVERSE_MEDIA' }])).steps).toHaveLength(1)
  })

  // The catalog has five steps and duplicates are rejected, so 10 and 11 steps both fail; only the
  // 11th makes the list itself too long.
  it('counts 10 steps as within the limit and 11 as over it', () => {
    const steps = (n: number) => Array.from({ length: n }, () => ({ id: 'PEP_SANCTIONS' }))
    expect(issuesOf(body(steps(10))).filter((i) => i.path === '/steps')).toEqual([])
    expect(issuesOf(body(steps(11))).filter((i) => i.path === '/steps')).toEqual([
      { path: '/steps', message: 'must have 1 to 10 steps; it has 11' },
    ])
  })

  it.each([[null], ['ID_VERIFICATION'], [[]], [7]])('a step must be an object, not %j', (step) => {
    expect(issuesOf(body([step]))).toEqual([{ path: '/steps/0', message: 'must be an object with an id and an optional config' }])
  })

  const allowedIds = 'must be one of ID_VERIFICATION, FACE_LIVENESS, AGE_ESTIMATION, PEP_SANCTIONS, ADVERSE_MEDIA'
  it.each([
    [{}, 'is required'],
    [{ id: 'DOCUMENT_SCAN' }, allowedIds],
    [{ id: 'id_verification' }, `${allowedIds} (step IDs are case-sensitive)`],
    [{ id: 5 }, allowedIds],
    [{ id: null }, allowedIds],
  ])('rejects the step %j', (step, message) => {
    expect(issuesOf(body([step]))).toEqual([{ path: '/steps/0/id', message }])
  })

  it('reports a duplicate at its later occurrence', () => {
    expect(issuesOf(body([{ id: 'FACE_LIVENESS' }, { id: 'PEP_SANCTIONS' }, { id: 'FACE_LIVENESS' }]))).toEqual([
      { path: '/steps/2/id', message: 'duplicates /steps/0/id: each step may appear only once' },
    ])
  })
})

describe('config values (contract §1, §2)', () => {
  // [step, field, lowest accepted, highest accepted]
  const ranges = [
    ['ID_VERIFICATION', 'minimum_age', 0, 51],
    ['ID_VERIFICATION', 'maximum_age', 18, 150],
    ['ID_VERIFICATION', 'expiry_date_years', 0, 100],
    ['ID_VERIFICATION', 'escalation_risk_threshold', 0, 100],
    ['FACE_LIVENESS', 'confidence_threshold', 1, 100],
    ['AGE_ESTIMATION', 'minimum_age', 1, 100],
  ] as const
  // The declared bounds; minimum_age and maximum_age are also bounded by each other's default.
  const declared: Record<string, [number, number]> = {
    minimum_age: [0, 150],
    maximum_age: [0, 150],
    expiry_date_years: [0, 100],
    escalation_risk_threshold: [0, 100],
    confidence_threshold: [1, 100],
  }

  it.each(ranges)('%s.%s accepts %d and %d', (id, field, low, high) => {
    for (const value of [low, high]) {
      expect(ok(body([{ id, config: { [field]: value } }])).steps[0]!.config).toMatchObject({ [field]: value })
    }
  })

  it.each(ranges)('%s.%s rejects one past each end of its range', (id, field) => {
    const [min, max] = id === 'AGE_ESTIMATION' ? [1, 100] : declared[field]!
    for (const value of [min - 1, max + 1]) {
      expect(issuesOf(body([{ id, config: { [field]: value } }]))).toEqual([
        { path: `/steps/0/config/${field}`, message: `must be an integer from ${min} to ${max}` },
      ])
    }
  })

  it.each([['18'], [18.5], [true], [null], [[18]], [{}]])('an integer field rejects %j (no coercion)', (value) => {
    expect(issuesOf(idv({ minimum_age: value }))).toEqual([
      { path: '/steps/0/config/minimum_age', message: 'must be an integer from 0 to 150' },
    ])
  })

  it('accepts an integer written as 18.0', () => {
    expect(ok(JSON.parse('{"name":"x","steps":[{"id":"FACE_LIVENESS","config":{"confidence_threshold":18.0}}]}')).steps[0]!.config).toEqual(
      {
        confidence_threshold: 18,
      },
    )
  })

  it.each([['true'], [1], [0], [null]])('a boolean field rejects %j', (value) => {
    expect(issuesOf(idv({ require_secondary_id: value }))).toEqual([
      { path: '/steps/0/config/require_secondary_id', message: 'must be true or false' },
    ])
  })

  it.each([['NFC-PASSPORT'], ['nfc_passport'], [''], [null], [0]])('escalation_type rejects %j', (value) => {
    expect(issuesOf(idv({ escalation_type: value }))).toEqual([
      { path: '/steps/0/config/escalation_type', message: 'must be one of "none", "nfc-passport"' },
    ])
  })

  it.each([[[]], ['x'], [null], [1]])('config must be an object, not %j', (config) => {
    expect(issuesOf(body([{ id: 'FACE_LIVENESS', config }]))).toEqual([{ path: '/steps/0/config', message: 'must be an object' }])
  })

  it.each(['PEP_SANCTIONS', 'ADVERSE_MEDIA'])('%s takes no options', (id) => {
    expect(ok(body([{ id, config: {} }])).steps[0]!.config).toEqual({})
    expect(issuesOf(body([{ id, config: { level: 'high' } }]))).toEqual([
      { path: '/steps/0/config/level', message: `is not allowed: ${id} has no configuration options` },
    ])
  })
})

describe('minimum_age <= maximum_age on resolved values (contract §1)', () => {
  it('rejects maximum_age below the default minimum_age', () => {
    expect(issuesOf(idv({ maximum_age: 16 }))).toEqual([
      { path: '/steps/0/config/maximum_age', message: 'must not be less than minimum_age (18)' },
    ])
  })
  it('rejects minimum_age above the default maximum_age', () => {
    expect(issuesOf(idv({ minimum_age: 52 }))).toEqual([
      { path: '/steps/0/config/minimum_age', message: 'must not be greater than maximum_age (51)' },
    ])
  })
  it('rejects minimum_age above a given maximum_age, at minimum_age', () => {
    expect(issuesOf(idv({ minimum_age: 30, maximum_age: 29 }))).toEqual([
      { path: '/steps/0/config/minimum_age', message: 'must not be greater than maximum_age (29)' },
    ])
  })
  it('accepts equal ages, and the default minimum with maximum_age 18', () => {
    expect(ok(idv({ minimum_age: 30, maximum_age: 30 })).steps[0]!.config).toMatchObject({ minimum_age: 30, maximum_age: 30 })
    expect(ok(idv({ maximum_age: 18 })).steps[0]!.config).toMatchObject({ minimum_age: 18, maximum_age: 18 })
  })
  it('does not apply to AGE_ESTIMATION', () => {
    expect(ok(body([{ id: 'AGE_ESTIMATION', config: { minimum_age: 100 } }])).steps[0]!.config).toEqual({ minimum_age: 100 })
  })
})

describe('properties the schema does not name (contract §2)', () => {
  it.each([
    [{ name: 'x', steps: [{ id: 'PEP_SANCTIONS' }], status: 'archived' }, '/status', 'is not allowed: a workflow has only name and steps'],
    [
      { name: 'x', steps: [{ id: 'PEP_SANCTIONS' }], organization_id: 'org_1' },
      '/organization_id',
      'is not allowed: a workflow has only name and steps',
    ],
    [{ name: 'x', steps: [{ id: 'PEP_SANCTIONS' }], id: 'wf_1' }, '/id', 'is not allowed: a workflow has only name and steps'],
    [{ name: 'x', steps: [{ id: 'PEP_SANCTIONS' }], 'a/b~c': 1 }, '/a~1b~0c', 'is not allowed: a workflow has only name and steps'],
    [body([{ id: 'PEP_SANCTIONS', enabled: true }]), '/steps/0/enabled', 'is not allowed: a step has only id and config'],
    [
      idv({ minimum_agee: 21 }),
      '/steps/0/config/minimum_agee',
      'is not a field of ID_VERIFICATION; allowed: minimum_age, maximum_age, expiry_date_years, require_secondary_id, require_tertiary_id, face_front_photo_only, require_front_only, enable_fraud_analysis, escalation_type, escalation_risk_threshold',
    ],
    [
      JSON.parse('{"name":"x","steps":[{"id":"FACE_LIVENESS","config":{"__proto__":{"confidence_threshold":1}}}]}'),
      '/steps/0/config/__proto__',
      'is not a field of FACE_LIVENESS; allowed: confidence_threshold',
    ],
  ])('rejects %j at %s', (input, path, message) => {
    expect(issuesOf(input)).toEqual([{ path, message }])
  })
})

describe('the body as a whole', () => {
  it.each([[null], [[]], ['{"name":"x"}'], [42], [undefined]])('must be an object, not %j', (input) => {
    expect(issuesOf(input)).toEqual([{ path: '', message: 'must be a JSON object with name and steps' }])
  })

  it('lists every problem, not only the first', () => {
    const issues = issuesOf({ name: '', steps: [{ id: 'NOPE' }, { id: 'FACE_LIVENESS', config: { confidence_threshold: 0 } }], extra: 1 })
    expect(issues.map((i) => i.path)).toEqual(['/extra', '/name', '/steps/0/id', '/steps/1/config/confidence_threshold'])
  })

  it(`reports at most ${MAX_ISSUES} problems`, () => {
    const input = { name: 'x', steps: [{ id: 'PEP_SANCTIONS' }], ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])) }
    expect(issuesOf(input)).toHaveLength(MAX_ISSUES)
  })
})

describe('parseUpdateWorkflow (contract §4 PATCH)', () => {
  it('accepts an empty body and changes nothing', () => {
    expect(parseUpdateWorkflow({})).toEqual({ ok: true, value: {} })
  })
  it('takes a name alone, trimmed', () => {
    expect(parseUpdateWorkflow({ name: ' New ' })).toEqual({ ok: true, value: { name: 'New' } })
  })
  it('takes steps alone, resolved as on create', () => {
    expect(parseUpdateWorkflow({ steps: [{ id: 'FACE_LIVENESS' }] })).toEqual({
      ok: true,
      value: { steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 70 } }] },
    })
  })
  it.each([
    [{ name: '' }, '/name'],
    [{ steps: [] }, '/steps'],
    [{ steps: [{ id: 'AGE_ESTIMATION', config: { minimum_age: 0 } }] }, '/steps/0/config/minimum_age'],
    [{ status: 'archived' }, '/status'],
    [null, ''],
  ])('validates %j exactly as on create', (input, path) => {
    const r = parseUpdateWorkflow(input)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual([path])
  })
})
