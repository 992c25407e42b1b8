// Property-based tests of request validation and resolution: contract §1, §2, the one-step config PATCH (§4, §8).
// The oracle below is the contract's table written out by hand, independently of catalog.ts.
import fc from 'fast-check'
import { Compile } from 'typebox/compile'
import { describe, expect, it } from 'vitest'
import { type ResolvedConfigs, STEP_CATALOG, STEP_IDS, type StepId } from './catalog.js'
import { shouldEscalate } from './fraud.js'
import { type Issue, MAX_ISSUES, type ParseResult } from './issues.js'
import { parseCreateWorkflow, parseUpdateWorkflow } from './parse-workflow.js'
import { WorkflowStep } from './schemas.js'
import { applyStepConfigPatch } from './step-patch.js'

const RUNS = { numRuns: 600 }
const checkWorkflowStep = Compile(WorkflowStep)
type Obj = Record<string, unknown>
type Steps = { id: StepId; config: Obj }[]

// ---------------------------------------------------------------- the oracle (contract §1 and §2)
/** A config field: its default, what it accepts, in-range values, and edge values (boundaries, wrong types) on both sides. */
interface Field {
  def: unknown
  accepts(v: unknown): boolean
  valid: fc.Arbitrary<unknown>
  edges: unknown[]
}
const int = (min: number, max: number, def: number): Field => ({
  def,
  accepts: (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max,
  valid: fc.integer({ min, max }),
  edges: [min - 1, min, max, max + 1, min + 0.5, String(def), null, true],
})
const bool: Field = { def: false, accepts: (v) => typeof v === 'boolean', valid: fc.boolean(), edges: ['true', 0, 1, null, true, false] }
const ESCALATION: Field = {
  def: 'none',
  accepts: (v) => v === 'none' || v === 'nfc-passport',
  valid: fc.constantFrom('none', 'nfc-passport'),
  edges: ['NONE', 'nfc_passport', '', null, true, 'none', 'nfc-passport'],
}
const TABLE: Record<StepId, Record<string, Field>> = {
  ID_VERIFICATION: {
    minimum_age: int(0, 150, 18),
    maximum_age: int(0, 150, 51),
    expiry_date_years: int(0, 100, 2),
    require_secondary_id: bool,
    require_tertiary_id: bool,
    face_front_photo_only: bool,
    require_front_only: bool,
    enable_fraud_analysis: bool,
    escalation_type: ESCALATION,
    escalation_risk_threshold: int(0, 100, 60),
  },
  FACE_LIVENESS: { confidence_threshold: int(1, 100, 70) },
  AGE_ESTIMATION: { minimum_age: int(1, 100, 18) },
  PEP_SANCTIONS: {},
  ADVERSE_MEDIA: {},
}
const ALL_FIELDS = [...new Set(Object.values(TABLE).flatMap((t) => Object.keys(t)))]
const isKnownId = (id: unknown): id is StepId => (STEP_IDS as readonly unknown[]).includes(id)
const fieldOf = (id: unknown, key: string) => (isKnownId(id) && Object.hasOwn(TABLE[id], key) ? TABLE[id][key] : undefined)

const isPlain = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const onlyKeys = (o: Obj, allowed: string[]) => Object.keys(o).every((k) => allowed.includes(k))
const loneSurrogate = (s: string) => [...s].some((c) => c.codePointAt(0)! >= 0xd800 && c.codePointAt(0)! <= 0xdfff)

function expectedName(v: unknown): string | undefined {
  const t = typeof v === 'string' ? v.trim() : ''
  const nul = [...t].some((c) => c.codePointAt(0) === 0)
  return [...t].length >= 1 && [...t].length <= 255 && !loneSurrogate(t) && !nul ? t : undefined
}
function resolveExpected(id: StepId, given: Obj): Obj {
  const out = Object.fromEntries(Object.entries(TABLE[id]).map(([k, f]) => [k, given[k] === undefined ? f.def : given[k]]))
  if (id === 'ID_VERIFICATION' && out.escalation_type !== 'none') out.enable_fraud_analysis = true
  return out
}
const crossRulesHold = (id: StepId, c: Obj) => id !== 'ID_VERIFICATION' || (c.minimum_age as number) <= (c.maximum_age as number)
const configAccepted = (id: StepId, c: Obj) => Object.entries(c).every(([k, v]) => fieldOf(id, k)?.accepts(v) === true)

function expectedSteps(v: unknown): Steps | undefined {
  if (!Array.isArray(v) || v.length < 1 || v.length > 10) return undefined
  const out: Steps = []
  for (const s of v as unknown[]) {
    if (!isPlain(s) || !onlyKeys(s, ['id', 'config']) || !isKnownId(s.id)) return undefined
    const id = s.id
    const given = s.config === undefined ? {} : s.config
    if (out.some((o) => o.id === id) || !isPlain(given) || !configAccepted(id, given)) return undefined
    const config = resolveExpected(id, given)
    if (!crossRulesHold(id, config)) return undefined
    out.push({ id, config })
  }
  return out
}
function expectedBody(body: unknown, create: boolean): { name?: string; steps?: Steps } | undefined {
  if (!isPlain(body) || !onlyKeys(body, ['name', 'steps'])) return undefined
  const name = create || body.name !== undefined ? expectedName(body.name) : null // null: absent from an update
  const steps = create || body.steps !== undefined ? expectedSteps(body.steps) : null
  if (name === undefined || steps === undefined) return undefined
  return { ...(name === null ? {} : { name }), ...(steps === null ? {} : { steps }) }
}

/** Paths at which §2 says a problem must be reported ("every problem found", each at its own path). */
const tok = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1')
const badConfigPaths = (id: unknown, config: Obj, base: string) =>
  Object.entries(config)
    .filter(([k, v]) => fieldOf(id, k)?.accepts(v) !== true)
    .map(([k]) => `${base}/${tok(k)}`)
function mustReport(body: unknown, create: boolean): string[] {
  if (!isPlain(body)) return ['']
  const out = Object.keys(body)
    .filter((k) => k !== 'name' && k !== 'steps')
    .map((k) => `/${tok(k)}`)
  if ((create || body.name !== undefined) && expectedName(body.name) === undefined) out.push('/name')
  const steps = body.steps
  if ((create || steps !== undefined) && (!Array.isArray(steps) || steps.length < 1 || steps.length > 10)) out.push('/steps')
  if (!Array.isArray(steps)) return out
  const seen = new Set<unknown>()
  steps.forEach((s: unknown, i) => {
    const base = `/steps/${i}`
    if (!isPlain(s)) {
      out.push(base)
      return
    }
    out.push(
      ...Object.keys(s)
        .filter((k) => k !== 'id' && k !== 'config')
        .map((k) => `${base}/${tok(k)}`),
    )
    const known = isKnownId(s.id)
    if (!known || seen.has(s.id)) out.push(`${base}/id`)
    if (known) seen.add(s.id)
    if (s.config !== undefined && !isPlain(s.config)) out.push(`${base}/config`)
    else if (known && isPlain(s.config)) out.push(...badConfigPaths(s.id, s.config, `${base}/config`))
  })
  return out
}

// ---------------------------------------------------------------- checks shared by the properties
/** Does a JSON Pointer resolve inside `root` (or name a missing required member of an existing object)? */
function resolves(root: unknown, path: string): boolean {
  if (path === '') return true
  if (!path.startsWith('/') || /~(?![01])/.test(path)) return false
  const keys = path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
  let node = root
  for (const [i, key] of keys.entries()) {
    const here = Array.isArray(node) ? /^(0|[1-9]\d*)$/.test(key) && Number(key) < node.length : isPlain(node) && Object.hasOwn(node, key)
    if (!here) return i === keys.length - 1 && isPlain(node) && ['name', 'steps', 'id', 'config'].includes(key)
    node = (node as Obj)[key]
  }
  return true
}
function expectGoodIssues(input: unknown, issues: Issue[], mustReport: string[]): void {
  const paths = new Set(issues.map((i) => i.path))
  if (issues.length < MAX_ISSUES) for (const p of mustReport) expect(paths.has(p), `no issue at ${p}: ${JSON.stringify(issues)}`).toBe(true)
  expect(issues.length).toBeGreaterThanOrEqual(1)
  expect(issues.length).toBeLessThanOrEqual(MAX_ISSUES)
  for (const { path, message } of issues) {
    expect(typeof message === 'string' && message.trim() !== '', `message at ${path}`).toBe(true)
    expect(resolves(input, path), `path ${JSON.stringify(path)} does not resolve`).toBe(true)
  }
}
/** Well-formed result, and accepted exactly when the oracle accepts, with the oracle's value and key order. */
function expectAgreesWithContract(input: unknown, r: ParseResult<{ name?: string; steps?: unknown[] }>, create: boolean) {
  const expected = expectedBody(input, create)
  if (!r.ok) {
    expectGoodIssues(input, r.issues, mustReport(input, create))
    expect(expected, `rejected a valid body: ${JSON.stringify(r.issues)}`).toBeUndefined()
    return
  }
  expect(expected, 'accepted a body the contract rejects').toBeDefined()
  expect(r.value).toStrictEqual(expected)
  const { name } = r.value
  if (create || name !== undefined)
    expect(typeof name === 'string' && name === name.trim() && [...name].length >= 1 && [...name].length <= 255).toBe(true)
  for (const step of r.value.steps ?? []) {
    expect(checkWorkflowStep.Check(step), JSON.stringify(step)).toBe(true)
    const { id, config } = step as { id: StepId; config: Obj }
    expect(Object.keys(config)).toEqual(Object.keys(TABLE[id]))
  }
}
const jsonRoundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

// ---------------------------------------------------------------- generators
const junk = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 5 }),
  fc.constantFrom('18', 'true', 'none', 18.5, -1, 0, 101, 151, 1e308, [], {}),
  fc.array(fc.integer(), { maxLength: 2 }),
)
const WS = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2028', '\u2029', '\u3000', '\ufeff']
const ws = fc.array(fc.constantFrom(...WS), { maxLength: 3 }).map((a) => a.join(''))
const nameCore = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.constantFrom('a'.repeat(255), '😀'.repeat(255), `${'e\u0301'.repeat(127)}x`, 'Onboarding'),
)
const validName = fc
  .tuple(ws, nameCore, ws)
  .filter(([, c]) => c.trim() !== '' && !c.includes('\u0000'))
  .map(([a, c, b]) => a + c + b)
const anyName = fc.oneof(
  { weight: 8, arbitrary: validName },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '  \n',
      '\u200b',
      '\u0085',
      'a'.repeat(256),
      '😀'.repeat(256),
      `\u200b${'a'.repeat(255)}`,
      'ab\ud800',
      '\udc00x',
      ' \ud83d ',
      '\ud83d\ude00',
    ),
  },
  { weight: 1, arbitrary: junk },
)

/** A config for step `id` with every field optional, in-range values, keys in random order, ages consistent. */
const validConfig = (id: StepId): fc.Arbitrary<Obj> =>
  fc
    .record(Object.fromEntries(Object.entries(TABLE[id]).map(([k, f]) => [k, f.valid])), { requiredKeys: [] })
    .map((c: Obj) => {
      const [min, max] = [(c.minimum_age ?? 18) as number, (c.maximum_age ?? 51) as number]
      return id === 'ID_VERIFICATION' && min > max ? { ...c, minimum_age: max, maximum_age: min } : c
    })
    .chain((c) => fc.shuffledSubarray(Object.entries(c), { minLength: Object.keys(c).length }).map((e) => Object.fromEntries(e)))
const validStep = (id: StepId) =>
  fc.oneof(
    fc.constant({ id }),
    validConfig(id).map((config) => ({ id, config })),
  )
const validBody = fc
  .tuple(validName, fc.shuffledSubarray([...STEP_IDS], { minLength: 1 }))
  .chain(([name, ids]) => fc.tuple(...ids.map(validStep)).map((steps) => ({ name, steps })))

const ODD_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'minimum_agee', 'MINIMUM_AGE', 'a/b', 'c~d', '']
const configKey = (id: unknown) => {
  const own = isKnownId(id) ? Object.keys(TABLE[id]) : []
  return fc.oneof(
    { weight: own.length > 0 ? 10 : 0, arbitrary: fc.constantFrom(...(own.length > 0 ? own : ['_'])) },
    { weight: 1, arbitrary: fc.constantFrom(...ALL_FIELDS, ...ODD_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
  )
}
const valueFor = (id: unknown, key: string) => {
  const f = fieldOf(id, key)
  return f === undefined
    ? junk
    : fc.oneof({ weight: 12, arbitrary: f.valid }, { weight: 1, arbitrary: fc.constantFrom(...f.edges) }, { weight: 1, arbitrary: junk })
}
/** A near-miss config: mostly real fields with in-range values, sometimes wrong types, ranges or keys. */
const nearConfig = (id: unknown): fc.Arbitrary<Obj> =>
  fc
    .uniqueArray(configKey(id), { maxLength: 5 })
    .chain((keys) => fc.tuple(...keys.map((k) => valueFor(id, k))).map((vs) => Object.fromEntries(keys.map((k, i) => [k, vs[i]]))))
const extraKeys = (keys: string[]) =>
  fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), junk), { maxLength: 1, selector: (e) => e[0] }).map((e) => Object.fromEntries(e))
const STEP_EXTRAS = ['status', 'ID', 'name', '__proto__', 'constructor', 'a/b', 'c~d']
const stepId = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...STEP_IDS) },
  { weight: 1, arbitrary: fc.constantFrom(...STEP_IDS.map((s) => s.toLowerCase()), 'Face_Liveness', ' PEP_SANCTIONS', 'KYC', '__proto__') },
  { weight: 1, arbitrary: junk },
)
const nearStep = (id: unknown) => {
  const step = fc.record({ id: fc.constant(id), config: nearConfig(id) }, { requiredKeys: ['id'] })
  return fc.oneof(
    { weight: 10, arbitrary: step },
    { weight: 1, arbitrary: fc.tuple(step, extraKeys(STEP_EXTRAS)).map(([s, x]) => ({ ...s, ...x })) },
    { weight: 1, arbitrary: fc.record({ id: fc.constant(id), config: junk }, { requiredKeys: [] }) }, // bad config, maybe no id
    { weight: 1, arbitrary: junk }, // not an object
  )
}
const nearSteps = fc.oneof(
  { weight: 6, arbitrary: fc.shuffledSubarray([...STEP_IDS], { minLength: 1 }).chain((ids) => fc.tuple(...ids.map(nearStep))) },
  { weight: 2, arbitrary: fc.array(stepId.chain(nearStep), { maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.constantFrom(...STEP_IDS).map((id) => ({ id })),
      { minLength: 10, maxLength: 12 },
    ),
  },
  { weight: 1, arbitrary: fc.array(junk, { minLength: 15, maxLength: 40 }) }, // more problems than MAX_ISSUES
  { weight: 1, arbitrary: junk },
)
const bodyExtras = fc.oneof(
  { weight: 8, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: extraKeys(['status', 'id', 'organization_id', '__proto__', 'constructor', 'Name']) },
)
const nearMissBody = fc
  .tuple(fc.option(anyName, { nil: undefined, freq: 12 }), fc.option(nearSteps, { nil: undefined, freq: 12 }), bodyExtras)
  .map(([name, steps, extra]) => ({ ...(name === undefined ? {} : { name }), ...(steps === undefined ? {} : { steps }), ...extra }))
/** Workflow-like request bodies as JSON.parse would give them (own "__proto__" keys included); about half valid. */
const workflowish = fc
  .oneof({ weight: 5, arbitrary: validBody }, { weight: 6, arbitrary: nearMissBody }, { weight: 1, arbitrary: junk })
  .map(jsonRoundTrip)

/** fc.anything() restricted to JSON-like values, with null-prototype objects and workflow-ish keys. */
const jsonLike = fc.anything({
  key: fc.oneof(fc.string(), fc.constantFrom('name', 'steps', 'id', 'config', ...ODD_KEYS, ...ALL_FIELDS)),
  withNullPrototype: true,
  maxDepth: 4,
  values: [fc.boolean(), fc.integer(), fc.double(), fc.string({ unit: 'binary' }), fc.constant(null), fc.constantFrom(...STEP_IDS)],
})

// ---------------------------------------------------------------- properties
describe('parseCreateWorkflow / parseUpdateWorkflow', () => {
  // Property 1 — §2: any JSON value gives a valid resolved workflow or 1..MAX_ISSUES issues with pointers into the body; never a throw.
  it.each([
    ['fc.jsonValue()', fc.jsonValue()],
    ['fc.anything() (JSON-like, null prototypes, own __proto__ keys)', jsonLike],
  ])('never throws and agrees with the contract on %s', (_, arb) => {
    fc.assert(
      fc.property(arb, (input) => {
        expectAgreesWithContract(input, parseCreateWorkflow(input), true)
        expectAgreesWithContract(input, parseUpdateWorkflow(input), false)
      }),
      RUNS,
    )
  })

  // Property 2 — §1/§2: near-miss bodies are accepted exactly when every rule holds, and every problem is reported at its path.
  it('agrees with the contract on near-miss workflow bodies', () => {
    let accepted = 0
    fc.assert(
      fc.property(workflowish, (input) => {
        const created = parseCreateWorkflow(input)
        if (created.ok) accepted++
        expectAgreesWithContract(input, created, true)
        expectAgreesWithContract(input, parseUpdateWorkflow(input), false)
      }),
      { numRuns: 1000 },
    )
    expect(accepted).toBeGreaterThan(250) // the generator is meant to be about half valid (≈45% in practice)
  })

  // Property 2 — §1: every field accepts exactly its documented range and type (each field × edge value, nearly exhaustively).
  it('accepts exactly the documented values of every config field', () => {
    const cases = STEP_IDS.flatMap((id) =>
      Object.entries(TABLE[id]).flatMap(([key, f]) => f.edges.map((v) => ({ id, config: { [key]: v } }))),
    )
    fc.assert(
      fc.property(fc.constantFrom(...cases), (step) => {
        expectAgreesWithContract({ name: 'x', steps: [step] }, parseCreateWorkflow({ name: 'x', steps: [step] }), true)
      }),
      { numRuns: 20 * cases.length },
    )
  })

  // Property 3 — §1/§4: valid requests keep step order and given values, default the rest in catalog order, and escalation forces fraud analysis.
  it('resolves valid create requests', () => {
    fc.assert(
      fc.property(validBody, (body) => {
        const r = parseCreateWorkflow(body)
        if (!r.ok) throw new Error(`rejected: ${JSON.stringify(r.issues)}`)
        expect(r.value.name).toBe(body.name.trim())
        expect(r.value.steps.map((s) => s.id)).toEqual(body.steps.map((s) => s.id))
        r.value.steps.forEach((step, i) => {
          const given: Obj = (body.steps[i] as { config?: Obj }).config ?? {}
          const config = step.config as Obj
          expect(Object.keys(config)).toEqual(Object.keys((STEP_CATALOG[step.id].resolved as unknown as { properties: Obj }).properties))
          for (const [key, field] of Object.entries(TABLE[step.id])) {
            if (key === 'enable_fraud_analysis' && config.escalation_type !== 'none') expect(config[key]).toBe(true)
            else expect(config[key]).toBe(Object.hasOwn(given, key) ? given[key] : field.def)
          }
        })
      }),
      RUNS,
    )
  })

  // Property 4 — §4: a resolved workflow is a valid request that resolves to itself (what is stored can be sent back).
  it('is idempotent on its own output', () => {
    fc.assert(
      fc.property(workflowish, (input) => {
        const r = parseCreateWorkflow(input)
        if (!r.ok) return
        expect(parseCreateWorkflow(r.value)).toStrictEqual({ ok: true, value: r.value })
        expect(parseUpdateWorkflow(r.value)).toStrictEqual({ ok: true, value: r.value })
      }),
      RUNS,
    )
  })

  // Property 5 — purity (parse-workflow.ts header): the input is never mutated, valid or not.
  it('never mutates its input', () => {
    fc.assert(
      fc.property(fc.oneof(workflowish, jsonLike), (input) => {
        const before = structuredClone(input)
        parseCreateWorkflow(input)
        parseUpdateWorkflow(input)
        expect(input).toEqual(before)
      }),
      RUNS,
    )
  })
})

describe('applyStepConfigPatch', () => {
  /** A step resolved by a valid create, and a PATCH body for it: mostly near-miss configs, sometimes junk or extra keys. */
  const stepAndPatch = validBody.chain((body) => {
    const r = parseCreateWorkflow(body)
    if (!r.ok) throw new Error('validBody produced an invalid body')
    return fc.constantFrom(...r.value.steps).chain((step) =>
      fc.tuple(
        fc.constant(step as { id: StepId; config: Obj }),
        fc
          .oneof(
            { weight: 6, arbitrary: nearConfig(step.id).map((config) => ({ config })) },
            { weight: 3, arbitrary: validConfig(step.id).map((config) => ({ config })) },
            {
              weight: 1,
              arbitrary: fc
                .tuple(nearConfig(step.id), extraKeys(['id', 'steps', '__proto__', 'Config']))
                .map(([config, x]) => ({ config, ...x })),
            },
            {
              weight: 1,
              arbitrary: fc.oneof(
                junk,
                junk.map((config) => ({ config })),
              ),
            },
          )
          .map(jsonRoundTrip),
      ),
    )
  })

  // Property 6 — §4/§8: given fields replace, others keep their values, the merge is resolved and checked again; paths point into the PATCH body.
  it('merges a patch onto the resolved config as the contract says', () => {
    fc.assert(
      fc.property(stepAndPatch, ([{ id, config: current }, body]) => {
        const before = structuredClone(current)
        const r = applyStepConfigPatch(current as ResolvedConfigs[StepId], id, body)
        expect(current).toStrictEqual(before)
        const patch = isPlain(body) ? body.config : undefined
        const valid = isPlain(body) && onlyKeys(body, ['config']) && isPlain(patch) && configAccepted(id, patch)
        const merged = valid ? resolveExpected(id, { ...current, ...patch }) : undefined
        if (merged !== undefined && crossRulesHold(id, merged)) {
          if (!r.ok) throw new Error(`rejected a valid patch: ${JSON.stringify(r.issues)}`)
          expect(r.value).toStrictEqual(merged)
          expect(Object.keys(r.value)).toEqual(Object.keys(TABLE[id]))
          for (const [key, value] of Object.entries(current).filter(([k]) => !Object.hasOwn(patch as Obj, k))) {
            const forced = key === 'enable_fraud_analysis' && merged.escalation_type !== 'none'
            expect((r.value as Obj)[key]).toBe(forced ? true : value)
          }
          return
        }
        if (r.ok) throw new Error(`accepted an invalid patch: ${JSON.stringify(r.value)}`)
        const must = isPlain(body)
          ? Object.keys(body)
              .filter((k) => k !== 'config')
              .map((k) => `/${tok(k)}`)
          : ['']
        if (isPlain(body)) must.push(...(isPlain(patch) ? badConfigPaths(id, patch, '/config') : ['/config']))
        expectGoodIssues(body, r.issues, must)
        for (const { path } of r.issues) {
          const top = path.split('/')[1]?.replace(/~1/g, '/').replace(/~0/g, '~') ?? ''
          expect(
            path === '' || path === '/config' || path.startsWith('/config/') || (isPlain(body) && Object.hasOwn(body, top)),
            path,
          ).toBe(true)
        }
      }),
      RUNS,
    )
  })
})

describe('shouldEscalate', () => {
  const idConfig = validConfig('ID_VERIFICATION').map((c) => resolveExpected('ID_VERIFICATION', c) as ResolvedConfigs['ID_VERIFICATION'])
  const inRange = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }))
  const outOfRange = fc.oneof(
    fc.double().filter((x) => !(x >= 0 && x <= 100)),
    fc.constantFrom(NaN, Infinity, -Infinity, -Number.MIN_VALUE, 100.00000000000001, -1, 101),
  )
  const notANumber = fc.oneof(
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt(),
    fc.constantFrom('50', [50], {}),
  )

  // Property 7 — §1 (the seed's table): escalation happens iff an escalation type is set and score >= escalation_risk_threshold.
  it('escalates exactly when the escalation type is set and the score reaches the threshold', () => {
    const configAndScore = idConfig.chain((c) => fc.tuple(fc.constant(c), fc.oneof(inRange, fc.constant(c.escalation_risk_threshold))))
    fc.assert(
      fc.property(configAndScore, ([config, score]) => {
        expect(shouldEscalate(config, score)).toBe(config.escalation_type !== 'none' && score >= config.escalation_risk_threshold)
      }),
      RUNS,
    )
  })

  // Property 7 — §1: "a risk score is a number from 0 to 100; anything else is an error, not a decision".
  it('throws a RangeError for a score that is not a number from 0 to 100', () => {
    fc.assert(
      fc.property(idConfig, fc.oneof(outOfRange, notANumber), (config, score) => {
        expect(() => shouldEscalate(config, score as number)).toThrow(RangeError)
      }),
      RUNS,
    )
  })
})
