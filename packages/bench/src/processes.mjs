// Child processes for the benchmarks: servers pinned to core 0 (the caller pins itself to core 1),
// every child killed when the benchmark ends, however it ends.
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const SERVER_MAIN = fileURLToPath(import.meta.resolve('@wf/server/package.json')).replace(/package\.json$/, 'dist/main.js')
/** The server's settings for a benchmark: the rate limit set out of the way. */
export const serverEnv = (db) => ({ WF_DB_PATH: db, WF_RATE_LIMIT_RPS: '1000000000', WF_RATE_LIMIT_BURST: '1000000000' })

export const pinned = spawnSync('taskset', ['-V']).status === 0
if (pinned) spawnSync('taskset', ['-cp', '1', String(process.pid)])

const children = []
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL')
})
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(1))

/** Ends this process after `seconds`, whatever is still running. */
export function boundInTime(seconds) {
  setTimeout(() => {
    console.error('bench: over its time bound')
    process.exit(1)
  }, seconds * 1000).unref()
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address())
      s.close(() => resolve(port))
    })
  })

/**
 * [command, args] that run `node ...argv` on core 0 (when taskset is there).
 * @param {...(string | string[])} argv
 * @returns {[command: string, args: string[]]}
 */
export const onCore0 = (...argv) => (pinned ? ['taskset', ['-c', '0', process.execPath, ...argv.flat()]] : [process.execPath, argv.flat()])

/**
 * Starts `node [nodeArgs] script` on core 0 and resolves once /health answers. Its output goes to
 * /dev/null, or with `stdout: 'pipe'` into a pipe this process reads and discards, as a log
 * shipper or a container runtime would read it.
 * @param {string} script
 * @param {Record<string, string>} env
 * @param {string[]} [nodeArgs]
 * @param {{ stdout?: 'ignore' | 'pipe' }} [options]
 */
export async function startOnCore0(script, env, nodeArgs = [], { stdout = 'ignore' } = {}) {
  const port = await freePort()
  const [cmd, args] = onCore0(nodeArgs, script)
  const started = performance.now()
  const child = spawn(cmd, args, {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', stdout, 'ignore'],
  })
  child.stdout?.resume()
  children.push(child)
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 1000; i++) {
    try {
      await fetch(`${url}/health`)
      return { url, child, coldMs: performance.now() - started }
    } catch {
      await new Promise((r) => setTimeout(r, 5))
    }
  }
  throw new Error(`${script} did not start`)
}

/** Sends SIGTERM and waits for the child to exit. */
export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
