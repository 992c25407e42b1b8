/**
 * Starting and stopping a target (the Node server or the edge app in workerd) as a real process
 * on a free 127.0.0.1 port, for the projects' global setups. Each process is spawned detached, so
 * it leads its own process group: stopping it signals the whole group (wrangler and workerd too).
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { TestProject } from 'vitest/node'

/** The admin token every local target is started with. */
export const ADMIN_TOKEN = 'conformance-admin-token-0123456789abcdef'

/** Generous limits for every test but the rate-limit ones: no test comes near them. */
export const RELAXED_LIMITS = { rps: 1000, burst: 1000 }
/** Tight limits for the rate-limit tests: a burst of 5, then one token every 5 seconds. */
export const TIGHT_LIMITS = { rps: 0.2, burst: 5 }

export interface Limits {
  rps: number
  burst: number
}

const require = createRequire(import.meta.url)
/** A workspace package's folder, through this package's own dependency on it. */
export const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`))

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

export const tempDir = (prefix: string) => mkdtemp(join(tmpdir(), prefix))

export interface LaunchSpec {
  label: string
  command: string
  args: string[]
  cwd?: string
  env: Record<string, string>
  port: number
  /** How long /health may take to answer 200. */
  startTimeoutMs: number
  /** Removed once the process has stopped. */
  tempDirs: string[]
}

export interface Running {
  url: string
  /** What the process has written to stdout and stderr so far (the last 20,000 characters). */
  output(): string
  stop(): Promise<void>
}

const alive = new Set<number>()
// Last resort if the runner exits without teardown (a crash, Ctrl-C): no process group outlives it.
process.on('exit', () => {
  for (const pgid of alive) killGroup(pgid, 'SIGKILL')
})

function killGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    return false // ESRCH: the group is gone
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Spawns the process and waits until GET /health answers 200; throws with its output if not. */
export async function launch(spec: LaunchSpec): Promise<Running> {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const pgid = child.pid
  if (pgid === undefined) throw new Error(`${spec.label}: could not spawn ${spec.command}`)
  alive.add(pgid)
  let output = ''
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  let exited = false
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true
      resolve()
    }),
  )

  const stop = async () => {
    if (!alive.has(pgid)) return
    killGroup(pgid, 'SIGTERM')
    const deadline = Date.now() + 5000
    await Promise.race([exit, sleep(5000)])
    // The leader is gone; wait for the rest of its group (workerd) to go too, then insist.
    while (Date.now() < deadline && killGroup(pgid, 0)) await sleep(100)
    killGroup(pgid, 'SIGKILL')
    alive.delete(pgid)
    await Promise.all(spec.tempDirs.map((dir) => rm(dir, { recursive: true, force: true })))
  }

  const url = `http://127.0.0.1:${spec.port}`
  const deadline = Date.now() + spec.startTimeoutMs
  for (;;) {
    if (exited) {
      await stop()
      throw new Error(`${spec.label} exited before answering /health:\n${output}`)
    }
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${spec.label} did not answer /health in ${spec.startTimeoutMs / 1000} s:\n${output}`)
    }
    await sleep(100)
  }
  return { url, output: () => output, stop }
}

/** Launches with a fresh port (and fresh temp dirs) up to `attempts` times: ports can be raced for. */
export async function launchWithRetry(make: () => Promise<LaunchSpec>, attempts = 2): Promise<Running> {
  for (let i = 1; ; i++) {
    try {
      return await launch(await make())
    } catch (error) {
      if (i >= attempts) throw error
      console.warn(`retrying after a failed start: ${(error as Error).message.split('\n')[0]}`)
    }
  }
}

/** Starts the relaxed instance, then the tight one (one after the other); stops the first if the second fails. */
export async function startPair(relaxed: () => Promise<Running>, tight: () => Promise<Running>): Promise<[Running, Running]> {
  const first = await relaxed()
  try {
    return [first, await tight()]
  } catch (error) {
    await first.stop()
    throw error
  }
}

/** Starts every instance at the same moment; if any fails, stops the others and throws the first failure. */
export async function startAll(starts: (() => Promise<Running>)[]): Promise<Running[]> {
  const settled = await Promise.allSettled(starts.map((start) => start()))
  const started = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const failed = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []))
  if (failed.length > 0) {
    await Promise.all(started.map((r) => r.stop()))
    throw failed[0]
  }
  return started
}

/** What differs between the targets: how to run one instance with its own temp dir (each gets a free port and the limits). */
export interface TargetSpec {
  /** Provided to the tests as `target`. */
  target: string
  /** The instances' label in errors (the tight one gets " (tight limits)"). */
  label: string
  /** Prefix of each instance's fresh temp dir (removed once it has stopped). */
  tempPrefix: string
  /** How long /health may take to answer 200. */
  startTimeoutMs: number
  /** Throws before anything is started if the target cannot run (a missing build). */
  check?: () => void
  /** The command, and the env besides PORT, the admin token and the rate limits, which every target gets. */
  process(dir: string): { command: string; args: string[]; cwd?: string; env: Record<string, string> }
}

/** One instance of a target with the given limits, on a free port with a fresh temp dir (removed once it stops). */
export function startTarget(spec: TargetSpec, label: string, limits: Limits): Promise<Running> {
  return launchWithRetry(async () => {
    const port = await freePort()
    const dir = await tempDir(spec.tempPrefix)
    const { env, ...command } = spec.process(dir)
    return {
      label,
      ...command,
      env: {
        ...env,
        PORT: String(port),
        WF_ADMIN_TOKEN: ADMIN_TOKEN,
        WF_RATE_LIMIT_RPS: String(limits.rps),
        WF_RATE_LIMIT_BURST: String(limits.burst),
      },
      port,
      startTimeoutMs: spec.startTimeoutMs,
      tempDirs: [dir],
    }
  })
}

/**
 * A project's global setup: the target twice, relaxed limits for the suite and tight ones for the
 * rate-limit tests, started one after the other; their URLs and the admin token provided to the tests.
 */
export function targetSetup(spec: TargetSpec) {
  const start = (label: string, limits: Limits) => startTarget(spec, label, limits)

  return async function setup(project: TestProject) {
    spec.check?.()
    const [relaxed, tight] = await startPair(
      () => start(spec.label, RELAXED_LIMITS),
      () => start(`${spec.label} (tight limits)`, TIGHT_LIMITS),
    )
    project.provide('target', spec.target)
    project.provide('baseUrl', relaxed.url)
    project.provide('limitedUrl', tight.url)
    project.provide('adminToken', ADMIN_TOKEN)
    project.provide('tightLimits', true)
    return async () => {
      await Promise.all([relaxed.stop(), tight.stop()])
    }
  }
}
