// Part 6: the edge app in local workerd (`wrangler dev --local` through apps/edge/scripts/dev.mjs,
// a fresh WF_EDGE_STATE each time): a shorter fuzz pass with the same generators, the isolation
// matrix (cross-organization 404, sandbox 403, revoked/malformed 401, admin tokens), and the rate
// limit under concurrency (a second instance with WF_RATE_LIMIT_RPS=10, WF_RATE_LIMIT_BURST=20).
// Every instance leads its own process group and is stopped by group: no wrangler/workerd survives.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { adminAuthMatrix } from './admin-auth.mjs'
import { fuzzTarget } from './fuzz.mjs'
import { isolationMatrix } from './isolation.mjs'
import { RATE_ENV, rateNote, rateStorm } from './rate-limits.mjs'
import { addFigure, bound, check } from './report.mjs'
import { EDGE_DIR, startEdge } from './servers.mjs'

const PART = 'edge'
const FUZZ_INPUTS = Number(process.env.WF_REL_EDGE_FUZZ_INPUTS ?? bound(3000, 600))
const FUZZ_MS = bound(40_000, 10_000)
const WORKERS = 4

/** workerd processes still running that belong to the given process group. */
function workerdIn(pgid) {
  try {
    return execFileSync('ps', ['-o', 'pid=,pgid=,comm=', '-e'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter(([, g, comm]) => Number(g) === pgid && comm)
      .map(([pid, , comm]) => `${comm}(${pid})`)
  } catch {
    return []
  }
}

/** workerd answers a method outside its list with a bare 501 before the Worker runs. */
const platformRefusal = (res, input) => {
  if (res.headers['x-request-id'] !== undefined) return undefined // the app answered
  if (
    res.status === 501 &&
    /Unrecognized request method/i.test(res.text) &&
    !['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS'].includes(input.method)
  )
    return 'refused'
  if (
    (res.status === 503 && /worker restarted mid-request/i.test(res.text)) ||
    (res.status === 500 && /Cannot reconstruct a Request with a used body/i.test(res.text))
  )
    return 'restart'
  return undefined
}

export async function stopAndCheck(edge, label, part = PART) {
  const r = await edge.stop()
  const left = workerdIn(edge.pgid)
  check(
    part,
    `${label}: stopped by process group, no wrangler/workerd left`,
    r.gone && left.length === 0,
    `leader exit ${r.code ?? r.signal}; group still there after SIGTERM + 5 s: ${r.leftovers}; left now: ${left.join(', ') || 'none'}`,
  )
}

export async function runEdge() {
  if (!existsSync(join(EDGE_DIR, 'node_modules', '.bin', 'wrangler'))) {
    check(PART, 'wrangler installed in apps/edge', false, `${join(EDGE_DIR, 'node_modules', '.bin', 'wrangler')} is missing: pnpm install`)
    return
  }
  const relaxed = await startEdge({}, 'edge-relaxed')
  addFigure('edge: workerd starts', 1)
  check(
    PART,
    'edge app up in workerd (dev.mjs: D1 migrated, wrangler dev --local)',
    true,
    `/health 200 after ${(relaxed.startupMs / 1000).toFixed(1)} s`,
  )
  try {
    const perWorker = Math.ceil(FUZZ_INPUTS / WORKERS)
    await fuzzTarget(relaxed, {
      part: PART,
      timeMs: FUZZ_MS,
      runsPerWorker: perWorker,
      minTried: perWorker * WORKERS,
      node: false,
      figure: 'edge: fuzz inputs tried',
      workers: WORKERS,
      platformRefusal,
    })
    const ctx = await isolationMatrix(relaxed, PART, { node: false })
    await adminAuthMatrix(relaxed, PART, ctx)
    // wrangler dev rebuilds and reloads the Worker when a file it bundles changes (e.g. a package's
    // dist rebuilt meanwhile); requests in flight then meet miniflare's genuine "restarted" 503.
    const reloads = (relaxed.output().match(/Reloading local server/g) ?? []).length
    check(
      PART,
      'the Worker was not rebuilt during the run (no bundled file changed)',
      reloads === 0,
      reloads
        ? `wrangler reloaded it ${reloads}×: something rewrote a file it bundles (packages/*/dist?) during the run; a restart above may be that`
        : '',
    )
  } finally {
    await stopAndCheck(relaxed, 'relaxed instance')
  }
  const tight = await startEdge(RATE_ENV, 'edge-tight')
  addFigure('edge: workerd starts', 1)
  try {
    const r = await rateStorm(tight, PART, { clients: 50, label: 'edge' })
    rateNote.edge = `${r.ok} successes of ${r.total} requests in ${r.elapsed.toFixed(2)} s (bound ${r.allowed.toFixed(1)})`
  } finally {
    await stopAndCheck(tight, 'rate-limited instance')
  }
}
