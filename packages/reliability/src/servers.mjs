// The real server processes of the reliability suite: the Node server and the edge app (workerd),
// started on free ports, stopped and killed on exit whatever happens; temp dirs; their log files.
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from './http.mjs'
import { tail } from './report.mjs'

/** The built Node server of @wf/server (a devDependency of this package). */
export const SERVER_MAIN = fileURLToPath(new URL('../node_modules/@wf/server/dist/main.js', import.meta.url))
/** The repository root (this package is packages/reliability). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** The edge app (apps/edge): started in workerd through its own dev script. */
export const EDGE_DIR = join(REPO_ROOT, 'apps', 'edge')
export const ADMIN_TOKEN = 'reliability-admin-token-7d2f0c'

// ---------------------------------------------------------------------------------------------
// Server processes (every one we start is killed on exit, whatever happens)
// ---------------------------------------------------------------------------------------------

const children = new Set()
const groups = new Set() // process group ids of detached children (wrangler + workerd)
const tempDirs = new Set()

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    return false // ESRCH: the group is gone
  }
}

function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL')
      } catch {
        // already gone
      }
    }
  }
  for (const pgid of groups) killGroup(pgid, 'SIGKILL')
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
}
process.on('exit', killAll)
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAll()
    process.exit(130)
  })
}

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address())
      srv.close(() => resolve(port))
    })
  })
}

// ---------------------------------------------------------------------------------------------
// Logs: every process the suite starts writes its stdout/stderr to a file here, so the whole run's
// logs can be searched for secrets at the end (scanLogs). Every secret the suite sees is noted.
// ---------------------------------------------------------------------------------------------

let logDir
const logStreams = []
export const secrets = new Set([ADMIN_TOKEN])
export function noteSecret(s) {
  if (typeof s === 'string' && s.length >= 16) secrets.add(s)
}

function logFile(label) {
  logDir ??= tempDir('wf-rel-logs-')
  const file = join(logDir, `${String(logStreams.length).padStart(2, '0')}-${label}.log`)
  const stream = createWriteStream(file)
  logStreams.push({ label, file, stream })
  return stream
}

/** How many processes this run started (each has a log file). */
export const processesStarted = () => logStreams.length

/** Flushes every log file; then searches them all for every secret noted (and its random part). */
export async function scanLogs() {
  await Promise.all(logStreams.map(({ stream }) => (stream.writableFinished ? undefined : new Promise((r) => stream.end(r)))))
  const needles = []
  for (const s of secrets) {
    needles.push(s)
    const m = /^wf_(?:live|sandbox)_(.+)$/.exec(s)
    if (m) needles.push(m[1]) // the random part alone, e.g. logged without its prefix
  }
  const files = logDir && existsSync(logDir) ? readdirSync(logDir).map((f) => join(logDir, f)) : []
  const found = []
  let bytes = 0
  for (const file of files) {
    const text = readFileSync(file, 'latin1')
    bytes += text.length
    for (const n of needles) {
      const at = text.indexOf(n)
      if (at >= 0)
        found.push(
          `${file.split('/').pop()}: ${n === ADMIN_TOKEN ? 'the admin token' : `secret ${n.slice(0, 12)}…`} at byte ${at}: …${text.slice(Math.max(0, at - 80), at).replace(n, '<secret>')}<secret>…`,
        )
    }
    // Anything shaped like an API key secret, even one the suite never saw.
    const shaped = text.match(/wf_(?:live|sandbox)_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g) ?? []
    for (const m of new Set(shaped)) found.push(`${file.split('/').pop()}: a key-shaped string ${m.slice(0, 14)}…`)
  }
  return { files: files.length, bytes, needles: needles.length, found }
}

function pipeOutput(child, label) {
  const stream = logFile(label)
  let output = ''
  const keep = (d) => {
    stream.write(d)
    output += d
    if (output.length > 4_000_000) output = output.slice(-2_000_000) // bounded
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  child.on('exit', () => setTimeout(() => stream.end(), 200).unref())
  return () => output
}

/** Starts dist/main.js on 127.0.0.1 on a free port, waits for /health (at most 10 s). */
export async function startServer(env, label = 'server') {
  const port = await freePort()
  const child = spawn(process.execPath, [SERVER_MAIN], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      WF_ADMIN_TOKEN: ADMIN_TOKEN,
      WF_RATE_LIMIT_RPS: '1000000',
      WF_RATE_LIMIT_BURST: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  const output = pipeOutput(child, label)
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const url = `http://127.0.0.1:${port}`
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output()}`)
    try {
      const res = await request({ url, agent }, 'GET', '/health', { timeoutMs: 1000 })
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not answer /health in 10 s:\n${output()}`)
    }
    await sleep(50)
  }
  return {
    url,
    port,
    agent,
    pid: child.pid,
    process: child,
    exited,
    output,
    alive: () => child.exitCode === null && child.signalCode === null,
    /** @param {NodeJS.Signals} [signal] */
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      const r = await exited
      clearTimeout(timer)
      agent.destroy()
      return r
    },
  }
}

/**
 * Starts the edge app in local workerd through apps/edge/scripts/dev.mjs (local D1 migrated, then
 * `wrangler dev --local`) with a fresh WF_EDGE_STATE, on a free port; waits for /health (≤ 60 s).
 * Spawned detached: it leads its own process group, and stopping signals the whole group, so no
 * wrangler or workerd survives (the exit handler SIGKILLs any group still there).
 */
export async function startEdge(env, label = 'edge') {
  // A free port can be taken by another process (wrangler's own ports, a test beside) between
  // freePort() and wrangler's bind: then wrangler exits with "Address already in use", and another
  // port is tried, up to three in all.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEdgeOn(await freePort(), env, label)
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test(String(error?.message))) throw error
    }
  }
}

async function startEdgeOn(port, env, label) {
  const state = tempDir('wf-rel-edge-')
  const child = spawn(process.execPath, [join(EDGE_DIR, 'scripts', 'dev.mjs')], {
    cwd: EDGE_DIR,
    env: {
      ...process.env,
      PATH: [join(EDGE_DIR, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter),
      PORT: String(port),
      WF_EDGE_STATE: state,
      WF_ADMIN_TOKEN: ADMIN_TOKEN,
      WF_RATE_LIMIT_RPS: '1000000',
      WF_RATE_LIMIT_BURST: '1000000',
      WRANGLER_SEND_METRICS: 'false',
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const pgid = child.pid
  groups.add(pgid)
  const output = pipeOutput(child, label)
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const url = `http://127.0.0.1:${port}`
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const stop = async () => {
    if (!groups.has(pgid)) return { code: child.exitCode, signal: child.signalCode, leftovers: false }
    killGroup(pgid, 'SIGTERM')
    await Promise.race([exited, sleep(5000)])
    // The leader is gone; wait for the rest of its group (workerd) to go too, then insist.
    const deadline = Date.now() + 5000
    while (Date.now() < deadline && killGroup(pgid, 0)) await sleep(100)
    const leftovers = killGroup(pgid, 0)
    killGroup(pgid, 'SIGKILL')
    groups.delete(pgid)
    agent.destroy()
    await sleep(100)
    return { code: child.exitCode, signal: child.signalCode, leftovers, gone: !killGroup(pgid, 0) }
  }
  const started = Date.now()
  const deadline = started + 60_000
  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`edge app exited before answering /health:\n${tail(output())}`)
    }
    try {
      const res = await request({ url, agent }, 'GET', '/health', { timeoutMs: 2000 })
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`edge app did not answer /health in 60 s:\n${tail(output())}`)
    }
    await sleep(100)
  }
  return {
    url,
    port,
    agent,
    pgid,
    startupMs: Date.now() - started,
    output,
    alive: () => killGroup(pgid, 0) && child.exitCode === null,
    stop,
  }
}

/** VmRSS of a process in KiB, from /proc/<pid>/status. */
export function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) : NaN
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
