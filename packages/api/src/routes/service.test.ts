/**
 * Service endpoints without a key (contract §4): /health and /openapi.json. The OpenAPI document
 * must describe every route the app serves, every `$ref` in it must resolve, and real responses
 * must be among the documented ones and match the documented schemas.
 */
import { ErrorBody, Workflow } from '@wf/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { FIVE_STEPS, createTestApi, type TestApi, type TestOrg } from '../test-support/harness.js'
import { type Json, UNKNOWN_WORKFLOW_ID, createWorkflow, expectError, jsonOfSize, readJson } from '../test-support/helpers.js'
import { schemaErrors } from '../test-support/schemas.js'

let t: TestApi
beforeEach(() => {
  t = createTestApi()
})
afterEach(() => t.close())

const openApi = async (): Promise<Json> => {
  const res = await t.request('GET', '/openapi.json')
  expect(res.status).toBe(200)
  return readJson(res)
}

/** Resolves a local JSON Pointer reference (`#/components/schemas/Workflow`) in `doc`. */
function resolvePointer(doc: Json, ref: string): Json {
  if (!ref.startsWith('#')) return undefined
  let node = doc
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const token = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
    if (node === null || typeof node !== 'object' || !(token in node)) return undefined
    node = node[token]
  }
  return node
}

/** Every `$ref` string anywhere in `node`. */
function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refsIn(item, out)
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value)
      else refsIn(value, out)
    }
  }
  return out
}

/** The schema with every `$ref` replaced by its target, so that TypeBox can compile it alone. */
function inlineRefs(doc: Json, schema: unknown, depth = 0): unknown {
  if (depth > 50) throw new Error('$ref cycle')
  if (Array.isArray(schema)) return schema.map((s) => inlineRefs(doc, s, depth + 1))
  if (schema === null || typeof schema !== 'object') return schema
  const { $ref, ...rest } = schema as Record<string, unknown>
  if (typeof $ref === 'string') return inlineRefs(doc, { ...resolvePointer(doc, $ref), ...rest }, depth + 1)
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, inlineRefs(doc, v, depth + 1)]))
}

// ---------------------------------------------------------------------------------------------
describe('GET /health', () => {
  it('is 200 {"status":"ok"} without a key', async () => {
    const res = await t.request('GET', '/health')
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({ status: 'ok' })
    expect(res.headers.get('x-request-id')).toMatch(/^req_/)
  })

  // §5: a 500 says nothing of the internals; the log has the stack and the request id.
  it('is 500 internal when the database does not answer, with the stack in the log only', async () => {
    const broken = createTestApi()
    broken.close()
    const res = await broken.request('GET', '/health')
    const error = await expectError(res, 500, 'internal')
    expect(error.error).toBe('Internal server error.')
    expect(JSON.stringify(error)).not.toMatch(/sqlite|database|at .*\.ts/i)
    const logged = broken.logs.find((l) => l.level === 'error')
    expect(logged).toMatchObject({ request_id: error.request_id, stack: expect.stringMatching(/\n\s+at /) })
  })
})

// ---------------------------------------------------------------------------------------------
describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document, served without a key', async () => {
    const doc = await openApi()
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/)
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) })
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0)
    expect(doc.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'x-api-key' })
  })

  // §4: "generated from the same TypeBox schemas that validate requests".
  it("takes its components from core's schemas", async () => {
    const doc = await openApi()
    expect(doc.components.schemas.Workflow.required).toEqual(Workflow.required)
    expect(doc.components.schemas.ErrorBody.required).toEqual(ErrorBody.required)
    expect(Object.keys(doc.components.schemas.ErrorBody.properties)).toEqual(Object.keys(ErrorBody.properties))
    expect(doc.components.schemas.ErrorBody.additionalProperties).toBe(false)
  })

  it('documents every route the app serves, with its method (405 catch-alls aside)', async () => {
    const doc = await openApi()
    const served = new Set(
      createApp(t.deps)
        .routes.filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    )
    const documented = new Set(
      Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)),
    )
    expect([...served].filter((route) => !documented.has(route))).toEqual([])
  })

  it('declares every templated path parameter', async () => {
    const doc = await openApi()
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
      for (const [method, op] of Object.entries(ops)) {
        const declared = (op.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name)
        expect(declared, `${method} ${path}`).toEqual(expect.arrayContaining(names))
      }
    }
  })

  it('has every $ref resolve', async () => {
    const doc = await openApi()
    const refs = new Set(refsIn(doc))
    expect(refs.size).toBeGreaterThan(10)
    expect([...refs].filter((ref) => resolvePointer(doc, ref) === undefined)).toEqual([])
  })

  it('has every component schema compile', async () => {
    const doc = await openApi()
    for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, object>)) {
      expect(() => schemaErrors(inlineRefs(doc, schema) as object, null), name).not.toThrow()
    }
  })
})

// ---------------------------------------------------------------------------------------------
describe('real responses are documented (status and body schema)', () => {
  interface Ctx {
    t: TestApi
    org: TestOrg
    limited: TestApi
    limitedOrg: TestOrg
    workflowId: string
  }
  type Scenario = [name: string, send: (c: Ctx) => Promise<Response>]

  const drained = async (c: Ctx) => {
    // burst 1: the first request takes the only token
    await c.limited.request('GET', '/v1/workflows', { key: c.limitedOrg.live })
    return c.limitedOrg.live
  }

  const OPERATIONS: { method: string; path: string; scenarios: Scenario[]; unreachable?: string[] }[] = [
    {
      method: 'get',
      path: '/v1/workflows/{id}',
      scenarios: [
        ['found', (c) => c.t.request('GET', `/v1/workflows/${c.workflowId}`, { key: c.org.live })],
        ['no key', (c) => c.t.request('GET', `/v1/workflows/${c.workflowId}`)],
        ['unknown id', (c) => c.t.request('GET', `/v1/workflows/${UNKNOWN_WORKFLOW_ID}`, { key: c.org.live })],
        ['rate limited', async (c) => c.limited.request('GET', `/v1/workflows/${UNKNOWN_WORKFLOW_ID}`, { key: await drained(c) })],
      ],
    },
    {
      method: 'post',
      path: '/v1/workflows',
      scenarios: [
        ['created', (c) => c.t.request('POST', '/v1/workflows', { key: c.org.live, body: FIVE_STEPS })],
        ['replayed', async (c) => {
          const headers = { 'idempotency-key': 'k1' }
          await c.t.request('POST', '/v1/workflows', { key: c.org.live, body: FIVE_STEPS, headers })
          return c.t.request('POST', '/v1/workflows', { key: c.org.live, body: FIVE_STEPS, headers })
        }],
        ['no key', (c) => c.t.request('POST', '/v1/workflows', { body: FIVE_STEPS })],
        ['sandbox key', (c) => c.t.request('POST', '/v1/workflows', { key: c.org.sandbox, body: FIVE_STEPS })],
        ['too large', (c) => c.t.request('POST', '/v1/workflows', { key: c.org.live, body: jsonOfSize(FIVE_STEPS, 65537) })],
        ['not JSON', (c) => c.t.request('POST', '/v1/workflows', { key: c.org.live, body: 'x', headers: { 'content-type': 'text/plain' } })],
        ['invalid JSON', (c) => c.t.request('POST', '/v1/workflows', { key: c.org.live, body: '{' })],
        ['invalid request', (c) => c.t.request('POST', '/v1/workflows', { key: c.org.live, body: { name: '' } })],
        ['key reused', async (c) => {
          const headers = { 'idempotency-key': 'k2' }
          await c.t.request('POST', '/v1/workflows', { key: c.org.live, body: FIVE_STEPS, headers })
          return c.t.request('POST', '/v1/workflows', { key: c.org.live, body: { ...FIVE_STEPS, name: 'Other' }, headers })
        }],
        ['rate limited', async (c) => c.limited.request('POST', '/v1/workflows', { key: await drained(c), body: FIVE_STEPS })],
      ],
      // 409: the same Idempotency-Key still in flight needs two concurrent requests racing in the store.
      unreachable: ['409'],
    },
    {
      method: 'get',
      path: '/v1/workflows',
      scenarios: [
        ['listed', (c) => c.t.request('GET', '/v1/workflows', { key: c.org.live })],
        ['a page', (c) => c.t.request('GET', '/v1/workflows?limit=1', { key: c.org.live })],
        ['no key', (c) => c.t.request('GET', '/v1/workflows')],
        ['bad query', (c) => c.t.request('GET', '/v1/workflows?limit=0', { key: c.org.live })],
        ['rate limited', async (c) => c.limited.request('GET', '/v1/workflows', { key: await drained(c) })],
      ],
    },
  ]

  describe.each(OPERATIONS)('$method $path', ({ method, path, scenarios, unreachable = [] }) => {
    let c: Ctx
    let doc: Json
    beforeEach(async () => {
      const limited = createTestApi({ rateLimit: { rps: 1, burst: 1 } })
      const org = await t.newOrg()
      await createWorkflow(t, org.live, { name: 'Older', steps: [{ id: 'PEP_SANCTIONS' }] })
      c = { t, org, limited, limitedOrg: await limited.newOrg(), workflowId: (await createWorkflow(t, org.live)).id }
      doc = await openApi()
    })
    afterEach(() => c.limited.close())

    const operation = () => doc.paths[path]?.[method]
    const seen = new Set<string>()

    it.each(scenarios)('%s: the status is documented and the body matches its schema', async (_, send) => {
      expect(operation(), `${method} ${path} is documented`).toBeDefined()
      const res = await send(c)
      const documented = operation().responses[String(res.status)]
      expect(documented, `status ${res.status} of ${method} ${path}`).toBeDefined()
      seen.add(String(res.status))
      const schema = documented.content?.['application/json']?.schema
      expect(schema).toBeDefined()
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      const body = await readJson(res)
      expect(schemaErrors(inlineRefs(doc, schema) as object, body), JSON.stringify(body)).toEqual([])
      // The headers the success response documents are sent.
      if (res.status < 300) {
        for (const name of Object.keys(documented.headers ?? {})) {
          if (name === 'Idempotent-Replayed' && res.headers.get('idempotent-replayed') === null) continue
          expect(res.headers.get(name), `header ${name}`).not.toBeNull()
        }
      }
    })

    it('every documented status was produced by a scenario above', () => {
      const statuses = Object.keys(operation().responses).filter((s) => !unreachable.includes(s))
      expect([...seen].sort()).toEqual(statuses.sort())
    })
  })
})
