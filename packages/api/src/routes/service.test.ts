/**
 * Service endpoints without a key (contract §4), what only the app in-process can show: a 500 when
 * the store fails (its stack in the log only), and an OpenAPI document that describes every route
 * the app registers. The rest of /health and /openapi.json (the document's soundness, real replies
 * matching it) is checked over HTTP in packages/conformance/src/service.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { createTestApi, type TestApi } from '../test-support/harness.js'
import { expectError, type Json, readJson } from '../test-support/helpers.js'

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

// ---------------------------------------------------------------------------------------------
describe('GET /health', () => {
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
})
