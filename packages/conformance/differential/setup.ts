/**
 * Global setup of the `differential` project: ONE Node server and ONE edge app (workerd under
 * `wrangler dev --local`), both with the relaxed rate limits and an empty database, started with
 * the same process specs as the `node` and `edge` projects. Their URLs and the admin token are
 * provided to the tests (`nodeUrl`, `edgeUrl`, `adminToken`).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import '../src/provided.js'
import { edgeTarget } from '../test/edge-target.js'
import { ADMIN_TOKEN, RELAXED_LIMITS, type Running, startTarget } from '../test/launch.js'
import { nodeTarget } from '../test/node-target.js'
import { type Figures, formatFigures, readFigures } from './run.js'

export default async function setup(project: TestProject) {
  nodeTarget.check?.()
  edgeTarget.check?.()
  // One wrangler only, so there is no inspector-port race: both can start at once.
  const [node, edge] = await Promise.allSettled([
    startTarget(nodeTarget, 'node server (differential)', RELAXED_LIMITS),
    startTarget(edgeTarget, 'edge app (differential)', RELAXED_LIMITS),
  ])
  const started = [node, edge].flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const failed = [node, edge].flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []))
  if (failed.length > 0) {
    await Promise.all(started.map((r) => r.stop()))
    throw failed[0]
  }
  const [n, e] = started as [Running, Running]
  project.provide('target', 'differential')
  project.provide('nodeUrl', n.url)
  project.provide('edgeUrl', e.url)
  project.provide('adminToken', ADMIN_TOKEN)
  const figures = await mkdtemp(join(tmpdir(), 'wf-differential-figures-'))
  project.provide('differentialFigures', figures)
  return async () => {
    await Promise.all([n.stop(), e.stop()])
    const files = readFigures(figures)
    await rm(figures, { recursive: true, force: true })
    if (files.length > 0) {
      const sum = (k: 'cases' | 'requests' | 'divergences' | 'contractMisses' | 'platform') => files.reduce((t, f) => t + f[k], 0)
      const total: Figures = {
        file: 'total',
        cases: sum('cases'),
        requests: sum('requests'),
        divergences: sum('divergences'),
        contractMisses: sum('contractMisses'),
        platform: sum('platform'),
      }
      console.log(['', 'differential suite:', ...files.map((f) => `  ${formatFigures(f)}`), `  ${formatFigures(total)}`, ''].join('\n'))
    }
  }
}
