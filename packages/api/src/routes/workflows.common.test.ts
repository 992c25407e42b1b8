/**
 * The per-route auth/tenancy checks of every /v1 route (contract §3, §5, §6) run over real HTTP in
 * the conformance suite (packages/conformance/src/auth.test.ts). This guard keeps the list of /v1
 * routes those checks cover equal to the list the app registers under /v1.
 */
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { createTestApi } from '../test-support/harness.js'
import { V1_ROUTES } from '../test-support/workflow-api.js'

describe('the common route checks cover every /v1 route', () => {
  it('lists exactly the routes the app registers under /v1', () => {
    const t = createTestApi()
    const registered = new Set(
      createApp(t.deps)
        .routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/v1/'))
        .map((r) => `${r.method} ${r.path}`),
    )
    t.close()
    expect(new Set(V1_ROUTES.map((r) => `${r.method} ${r.route}`))).toEqual(registered)
  })
})
