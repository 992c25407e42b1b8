/**
 * Global setup of the `edge` project: the edge app in workerd through its own dev script
 * (`apps/edge/scripts/dev.mjs`: local D1 migrated, then `wrangler dev --local`), twice: relaxed
 * rate limits for the suite, tight ones for the rate-limit tests. Each instance gets a fresh
 * WF_EDGE_STATE folder, so each run starts from an empty local D1 and empty Durable Objects.
 *
 * The two are started one after the other: wrangler probes for a free inspector port, and two
 * wranglers probing at the same moment can pick the same one (workerd then fails to bind it).
 */
import { delimiter, join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { ADMIN_TOKEN, RELAXED_LIMITS, TIGHT_LIMITS, freePort, launchWithRetry, packageDir, startPair, tempDir } from './launch.js'

const EDGE = packageDir('@wf/edge')

const startEdge = (label: string, limits: { rps: number; burst: number }) =>
  launchWithRetry(async () => {
    const port = await freePort()
    const state = await tempDir('wf-conformance-edge-')
    return {
      label,
      command: process.execPath,
      args: [join(EDGE, 'scripts', 'dev.mjs')],
      cwd: EDGE,
      env: {
        PORT: String(port),
        WF_ADMIN_TOKEN: ADMIN_TOKEN,
        WF_RATE_LIMIT_RPS: String(limits.rps),
        WF_RATE_LIMIT_BURST: String(limits.burst),
        WF_EDGE_STATE: state,
        PATH: [join(EDGE, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
        WRANGLER_SEND_METRICS: 'false',
        NO_COLOR: '1',
      },
      port,
      startTimeoutMs: 60_000,
      tempDirs: [state],
    }
  })

export default async function setup(project: TestProject) {
  const [relaxed, tight] = await startPair(
    () => startEdge('edge app', RELAXED_LIMITS),
    () => startEdge('edge app (tight limits)', TIGHT_LIMITS),
  )
  project.provide('target', 'edge')
  project.provide('baseUrl', relaxed.url)
  project.provide('limitedUrl', tight.url)
  project.provide('adminToken', ADMIN_TOKEN)
  project.provide('tightLimits', true)
  return async () => {
    await Promise.all([relaxed.stop(), tight.stop()])
  }
}
