/**
 * Two projects run the same test files (src/**\/*.test.ts, and the client's suite
 * client/in-node.test.ts) over real HTTP: `node` against the Node server, `edge` against the edge
 * app in workerd; `node` also runs client/in-worker.test.ts (the client bundled into a Worker).
 * Each project's global setup starts its target (twice: relaxed and tight rate limits) and
 * provides the URLs and the admin token.
 *
 * A third, `replicas`, runs the same files (and src/replicas.test.ts, its own) against the Node
 * server as stateless replicas: two on one fresh PostgreSQL database with relaxed limits (buckets
 * in Redis), two on another with the tight limits (buckets in PostgreSQL), every request to the
 * next replica in turn (test/replicas-target.ts). It needs PostgreSQL (WF_TEST_DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres) and Redis (WF_TEST_REDIS_URL, default
 * redis://127.0.0.1:6379): probed below, and when either is unreachable the project is one skipped
 * test saying so, unless WF_REQUIRE_SERVICES=1, which makes it fail instead.
 *
 * A fourth project, `differential`, starts one Node server and one edge app and sends the same
 * requests to both (differential/**\/*.test.ts, its own global setup): any difference fails.
 *
 * With WF_CONFORMANCE_URL (and WF_CONFORMANCE_ADMIN_TOKEN) set, nothing is started: one project,
 * `external`, runs the suite once against that URL (a deployed Worker, a server already running);
 * the differential and replicas projects need the apps locally and are not run.
 */
import { configDefaults, defineConfig } from 'vitest/config'
import { missingServices, REQUIRE_SERVICES } from './test/services.js'

const include = ['src/**/*.test.ts']
// What only several replicas can show (one write seen by the other replica, one bucket for both…).
const replicasOnly = 'src/replicas.test.ts'
const exclude = [...configDefaults.exclude, replicasOnly]
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
          exclude,
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
      { extends: true as const, test: { name: 'node', include: [...include, clientAll], exclude, globalSetup: ['./test/node-target.ts'] } },
      {
        extends: true as const,
        test: { name: 'edge', include: [...include, clientInNode], exclude, globalSetup: ['./test/edge-target.ts'] },
      },
      await replicasProject(),
      // One Node server and one edge app, the same requests to both, answers compared (differential/).
      {
        extends: true as const,
        test: { name: 'differential', include: ['differential/**/*.test.ts'], globalSetup: ['./differential/setup.ts'] },
      },
    ]

/**
 * The Node server as replicas on PostgreSQL, requests alternating between them; without PostgreSQL
 * or Redis, one skipped test with the line saying what it needs (a failure with WF_REQUIRE_SERVICES=1:
 * the global setup probes again and throws that line).
 */
async function replicasProject() {
  const missing = REQUIRE_SERVICES ? undefined : await missingServices()
  if (missing !== undefined) {
    return {
      extends: true as const,
      test: { name: 'replicas', include: ['test/replicas-skipped.test.ts'], provide: { replicasSkipped: missing } },
    }
  }
  return {
    extends: true as const,
    test: { name: 'replicas', include: [...include, clientInNode], globalSetup: ['./test/replicas-target.ts'] },
  }
}

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
