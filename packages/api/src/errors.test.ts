// One onError (contract §5): a bug answers 500 `internal` with a body that says nothing of it,
// and the log gets the stack with the request id.
import { describe, expect, it } from 'vitest'
import { createApp } from './app.js'
import { createTestApi } from './test-support/harness.js'

describe('an unexpected error', () => {
  it('is a 500 with the contract body; the stack goes to the log only', async () => {
    const t = createTestApi()
    const org = await t.newOrg()
    const broken = createApp({
      ...t.deps,
      store: {
        ...t.deps.store,
        findApiKeyByHash: t.deps.store.findApiKeyByHash.bind(t.deps.store),
        getWorkflowJson: async () => {
          throw new Error('disk on fire at /var/secret/path')
        },
      },
    })
    const res = await broken.request('/v1/workflows/wf_01M8BK4N9KHAGBZNX8GCW2QD0T', {
      headers: { 'x-api-key': org.live, 'x-request-id': 'trace-me-123' },
    })
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({ error: 'Internal server error.', code: 'internal', request_id: 'trace-me-123' })
    expect(text).not.toMatch(/disk on fire|secret|at .*\.ts/)
    const logged = t.logs.find((l) => l.level === 'error')
    expect(logged).toMatchObject({ msg: 'unhandled error', request_id: 'trace-me-123' })
    expect(String(logged?.stack)).toContain('disk on fire')
    t.close()
  })

  it('the health check fails closed when the database does not answer', async () => {
    const t = createTestApi()
    const broken = createApp({ ...t.deps, store: { ...t.deps.store, ping: async () => Promise.reject(new Error('gone')) } })
    const res = await broken.request('/health')
    expect(res.status).toBe(500)
    expect(((await res.json()) as { code: string }).code).toBe('internal')
    t.close()
  })
})
