/**
 * Global setup of the `node` project: two Node servers (`apps/server/dist/main.js`, built by
 * `pnpm --filter @wf/server... build`), each on a free port with its own temp SQLite file: one
 * with relaxed rate limits for the suite, one with tight limits for the rate-limit tests.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { ADMIN_TOKEN, RELAXED_LIMITS, TIGHT_LIMITS, freePort, launchWithRetry, packageDir, startPair, tempDir } from './launch.js'

const MAIN = join(packageDir('@wf/server'), 'dist', 'main.js')

const startNode = (label: string, limits: { rps: number; burst: number }) =>
  launchWithRetry(async () => {
    const port = await freePort()
    const dir = await tempDir('wf-conformance-node-')
    return {
      label,
      command: process.execPath,
      args: [MAIN],
      env: {
        HOST: '127.0.0.1',
        PORT: String(port),
        WF_DB_PATH: join(dir, 'wf.sqlite'),
        WF_ADMIN_TOKEN: ADMIN_TOKEN,
        WF_RATE_LIMIT_RPS: String(limits.rps),
        WF_RATE_LIMIT_BURST: String(limits.burst),
      },
      port,
      startTimeoutMs: 15_000,
      tempDirs: [dir],
    }
  })

export default async function setup(project: TestProject) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`pnpm --filter @wf/server... build\` first`)
  const [relaxed, tight] = await startPair(
    () => startNode('node server', RELAXED_LIMITS),
    () => startNode('node server (tight limits)', TIGHT_LIMITS),
  )
  project.provide('target', 'node')
  project.provide('baseUrl', relaxed.url)
  project.provide('limitedUrl', tight.url)
  project.provide('adminToken', ADMIN_TOKEN)
  project.provide('tightLimits', true)
  return async () => {
    await Promise.all([relaxed.stop(), tight.stop()])
  }
}
