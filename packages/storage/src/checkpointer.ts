/**
 * Node only: WAL checkpoints off the event loop.
 *
 * SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1,000 pages, on the
 * connection that commits: it copies the WAL into the database file and syncs both, and the
 * server's event loop waits (commits of 5 creates: p99 6.9 ms with it, 3.6 ms without; BENCHMARKS.md).
 * Here a worker thread with its own connection runs a PASSIVE checkpoint every `intervalMs`,
 * which never blocks the writer, and the server's own automatic checkpoint stays only as a
 * backstop at 10,000 pages (40 MB), so the WAL stays bounded even if the worker falls behind.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type Database from 'better-sqlite3'

export const BACKSTOP_PAGES = 10_000

// The worker's code, evaluated as a CommonJS script: the same file serves the built package and
// the tests run from source. It is handed better-sqlite3's resolved path.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path)
db.pragma('busy_timeout = 5000')
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage({ checkpointed: result.checkpointed, log: result.log })
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) })
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', (message) => {
  if (message !== 'stop') return
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

export interface Checkpointer {
  /** Stops the worker and closes its connection; the server closes its own after this. */
  stop(): Promise<void>
}

export interface CheckpointEvents {
  /** After each checkpoint: frames in the WAL and frames copied into the database. */
  onCheckpoint?(result: { log: number; checkpointed: number }): void
  onError?(message: string): void
}

export function startCheckpointer(sqlite: Database.Database, path: string, intervalMs = 1000, events: CheckpointEvents = {}): Checkpointer {
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`)
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs, driver } })
  worker.on('message', (m: { error?: string; log?: number; checkpointed?: number }) => {
    if (m.error !== undefined) events.onError?.(m.error)
    else events.onCheckpoint?.({ log: m.log ?? 0, checkpointed: m.checkpointed ?? 0 })
  })
  worker.on('error', (error) => events.onError?.(error.message))
  let exited = false
  worker.once('exit', () => (exited = true))
  // The worker must never keep the process alive on its own.
  worker.unref()
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve()
        worker.once('exit', () => resolve())
        worker.ref() // held until it has closed its connection
        worker.postMessage('stop')
      }),
  }
}
