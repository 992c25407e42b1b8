/**
 * /v1/workflows: every /v1 route passes the common auth/tenancy checks (contract §3, §5, §6), and a
 * guard that the list of routes checked is exactly the list the app registers under /v1.
 */
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { runCommonRouteTests } from '../test-support/common-route-tests.js'
import { createTestApi } from '../test-support/harness.js'
import { V1_ROUTES } from '../test-support/workflow-api.js'

for (const { route: _, ...spec } of V1_ROUTES) runCommonRouteTests(spec)

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
