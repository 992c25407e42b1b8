/**
 * Global setup of the `replicas` project: the Node server as stateless replicas sharing one
 * PostgreSQL database, the suite's requests alternating between them (src/client.ts, and the
 * client suite's fetch in client/in-node.test.ts).
 *
 * Two fresh databases (`wf_conf_<random>` on WF_TEST_DATABASE_URL, by @wf/storage/testing, dropped at teardown):
 * - relaxed: replicas A and B with the relaxed limits, their buckets shared in Redis (WF_REDIS_URL,
 *   so the default store is `redis`);
 * - tight: replicas A and B with the tight limits, their buckets shared in the database
 *   (WF_RATE_LIMIT_STORE=postgres): the rate-limit tests then prove one bucket across replicas.
 * All four start at the same moment, so each pair runs its migration at once, behind the server's
 * advisory lock. Each server's "listening" line must name PostgreSQL and the expected store.
 */
import { postgresForTests } from '@wf/storage/testing'
import type { TestProject } from 'vitest/node'
import '../src/provided.js'
import { ADMIN_TOKEN, type Limits, RELAXED_LIMITS, type Running, startAll, startTarget, type TargetSpec, TIGHT_LIMITS } from './launch.js'
import { nodeTarget } from './node-target.js'
import { missingServices, TEST_REDIS_URL } from './services.js'

/** The two replicas of each pair. */
const REPLICAS = ['A', 'B'] as const

/** A fresh database of the run (@wf/storage/testing makes it, and drops it WITH (FORCE)). */
interface Database {
  name: string
  url: string
  drop(): Promise<void>
}

async function createDatabase(): Promise<Database> {
  const database = await postgresForTests({ name: 'conf' })
  if (!database.ok) throw new Error(database.reason)
  return { name: database.database, url: database.url, drop: database.dropDatabase }
}

/** The Node server (as the `node` project runs it) on a PostgreSQL database instead of a SQLite file. */
function replicaTarget(label: string, databaseUrl: string, env: Record<string, string>): TargetSpec {
  return {
    ...nodeTarget,
    target: 'replicas',
    label,
    tempPrefix: 'wf-conformance-replica-',
    process: (dir) => {
      const node = nodeTarget.process(dir)
      return {
        ...node,
        // WF_DB_PATH emptied: the server refuses it beside WF_DATABASE_URL (and the runner's env is inherited).
        env: { ...node.env, WF_DB_PATH: '', WF_DATABASE_URL: databaseUrl, ...env },
      }
    },
  }
}

/** Waits for the server's JSON "listening" line and checks it names PostgreSQL and the rate-limit store. */
async function expectListening(server: Running, label: string, rateLimit: string): Promise<void> {
  const deadline = Date.now() + 5000
  for (;;) {
    const line = server
      .output()
      .split('\n')
      .flatMap((text) => {
        try {
          const parsed = JSON.parse(text) as Record<string, unknown>
          return parsed.msg === 'listening' ? [parsed] : []
        } catch {
          return []
        }
      })[0]
    if (line !== undefined) {
      if (!String(line.db).startsWith('postgres') || line.rate_limit !== rateLimit) {
        throw new Error(`${label}: expected PostgreSQL and the ${rateLimit} rate limit, but it says ${JSON.stringify(line)}`)
      }
      return
    }
    if (Date.now() > deadline) throw new Error(`${label}: no "listening" line in its output:\n${server.output()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

interface Pair {
  label: string
  limits: Limits
  rateLimit: string
  env: Record<string, string>
}

const PAIRS: Pair[] = [
  { label: 'replica', limits: RELAXED_LIMITS, rateLimit: 'redis', env: { WF_REDIS_URL: TEST_REDIS_URL, WF_RATE_LIMIT_STORE: '' } },
  {
    label: 'replica (tight limits)',
    limits: TIGHT_LIMITS,
    rateLimit: 'postgres',
    env: { WF_REDIS_URL: '', WF_RATE_LIMIT_STORE: 'postgres' },
  },
]

export default async function setup(project: TestProject) {
  nodeTarget.check?.()
  const missing = await missingServices()
  if (missing !== undefined) throw new Error(missing)

  const databases: Database[] = []
  let servers: Running[] = []
  const teardown = async () => {
    await Promise.all(servers.map((s) => s.stop()))
    await Promise.all(databases.map((d) => d.drop()))
  }
  try {
    for (const _ of PAIRS) databases.push(await createDatabase())
    const starts = PAIRS.flatMap((pair, i) =>
      REPLICAS.map((replica) => {
        const label = `${pair.label} ${replica}`
        const spec = replicaTarget(label, databases[i]!.url, pair.env)
        return async () => {
          const server = await startTarget(spec, label, pair.limits)
          try {
            await expectListening(server, `${label} (${databases[i]!.name})`, pair.rateLimit)
          } catch (error) {
            await server.stop()
            throw error
          }
          return server
        }
      }),
    )
    servers = await startAll(starts)
  } catch (error) {
    await teardown()
    throw error
  }

  const [relaxedA, relaxedB, tightA, tightB] = servers as [Running, Running, Running, Running]
  project.provide('target', 'replicas')
  project.provide('baseUrl', relaxedA.url)
  project.provide('limitedUrl', tightA.url)
  project.provide('baseUrls', [relaxedA.url, relaxedB.url])
  project.provide('limitedUrls', [tightA.url, tightB.url])
  project.provide('adminToken', ADMIN_TOKEN)
  project.provide('tightLimits', true)
  return teardown
}
