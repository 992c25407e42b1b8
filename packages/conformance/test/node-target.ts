/**
 * Global setup of the `node` project: two Node servers (`apps/server/dist/main.js`, built by
 * `pnpm --filter @wf/server... build`), each on a free port with its own temp SQLite file: one
 * with relaxed rate limits for the suite, one with tight limits for the rate-limit tests.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { packageDir, type TargetSpec, targetSetup } from './launch.js'

const MAIN = join(packageDir('@wf/server'), 'dist', 'main.js')

/** How to run one instance (also started by the differential project's setup). */
export const nodeTarget: TargetSpec = {
  target: 'node',
  label: 'node server',
  tempPrefix: 'wf-conformance-node-',
  startTimeoutMs: 15_000,
  check: () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`pnpm --filter @wf/server... build\` first`)
  },
  process: (dir) => ({
    command: process.execPath,
    args: [MAIN],
    env: { HOST: '127.0.0.1', WF_DB_PATH: join(dir, 'wf.sqlite') },
  }),
}

export default targetSetup(nodeTarget)
