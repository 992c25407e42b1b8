/**
 * Two projects run the same test files (src/**\/*.test.ts, and the client's suite
 * client/in-node.test.ts) over real HTTP: `node` against the Node server, `edge` against the edge
 * app in workerd; `node` also runs client/in-worker.test.ts (the client bundled into a Worker).
 * Each project's global setup starts its target (twice: relaxed and tight rate limits) and
 * provides the URLs and the admin token.
 *
 * A third project, `differential`, starts one Node server and one edge app and sends the same
 * requests to both (differential/**\/*.test.ts, its own global setup): any difference fails.
 *
 * With WF_CONFORMANCE_URL (and WF_CONFORMANCE_ADMIN_TOKEN) set, nothing is started: one project,
 * `external`, runs the suite once against that URL (a deployed Worker, a server already running);
 * the differential project needs both apps locally and is not run.
 */
import { defineConfig } from 'vitest/config'

const include = ['src/**/*.test.ts']
// The client's integration suite (client/): its scenarios in Node in every target's project; the
// same scenarios with the client bundled into a Worker only in `node` (the Worker calls the Node server).
const clientInNode = 'client/in-node.test.ts'
const clientAll = 'client/**/*.test.ts'
const externalUrl = process.env.WF_CONFORMANCE_URL?.replace(/\/+$/, '')
if (externalUrl && !process.env.WF_CONFORMANCE_ADMIN_TOKEN) {
  throw new Error('WF_CONFORMANCE_URL needs WF_CONFORMANCE_ADMIN_TOKEN: the suite makes its own organizations and keys through /admin/v1')
}

const projects = externalUrl
  ? [
      {
        extends: true as const,
        test: {
          name: 'external',
          include: [...include, clientInNode],
          provide: {
            target: 'external',
            baseUrl: externalUrl,
            // No second instance to point at: the rate-limit tests share the target and its limits.
            limitedUrl: externalUrl,
            adminToken: process.env.WF_CONFORMANCE_ADMIN_TOKEN ?? '',
            tightLimits: false,
          },
        },
      },
    ]
  : [
      { extends: true as const, test: { name: 'node', include: [...include, clientAll], globalSetup: ['./test/node-target.ts'] } },
      { extends: true as const, test: { name: 'edge', include: [...include, clientInNode], globalSetup: ['./test/edge-target.ts'] } },
      // One Node server and one edge app, the same requests to both, answers compared (differential/).
      {
        extends: true as const,
        test: { name: 'differential', include: ['differential/**/*.test.ts'], globalSetup: ['./differential/setup.ts'] },
      },
    ]

export default defineConfig({
  test: {
    projects,
    // The tests wait on sockets, not on the CPU: run more files at once than there are cores.
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    teardownTimeout: 20_000,
  },
})
