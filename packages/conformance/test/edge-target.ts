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
import { packageDir, type TargetSpec, targetSetup } from './launch.js'

const EDGE = packageDir('@wf/edge')

/** How to run one instance (also started by the differential project's setup). */
export const edgeTarget: TargetSpec = {
  target: 'edge',
  label: 'edge app',
  tempPrefix: 'wf-conformance-edge-',
  startTimeoutMs: 60_000,
  process: (state) => ({
    command: process.execPath,
    args: [join(EDGE, 'scripts', 'dev.mjs')],
    cwd: EDGE,
    env: {
      WF_EDGE_STATE: state,
      PATH: [join(EDGE, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
      WRANGLER_SEND_METRICS: 'false',
      NO_COLOR: '1',
    },
  }),
}

export default targetSetup(edgeTarget)
