/** Builds the API's dependencies once for this process: one SQLite file, in-process rate limits. */
import { createIdGenerator, type Deps, InMemoryRateLimiter } from '@wf/api'
import { oneAtATime } from '@wf/domain'
import { openDatabase } from '@wf/storage/node'
import { jsonLogger } from './logger.js'
import { nodeSha256Hex } from './node-hash.js'
import type { ServerSettings } from './settings.js'

export function buildDeps(settings: ServerSettings) {
  const database = openDatabase(settings.dbPath)
  const deps: Deps = {
    store: database.store,
    clock: { now: () => new Date() },
    ids: createIdGenerator(),
    sha256Hex: nodeSha256Hex,
    changes: oneAtATime(),
    // One process owns the SQLite file, so an in-process bucket sees every request of a key.
    rateLimiter: new InMemoryRateLimiter(settings.rateLimit),
    logger: jsonLogger,
    settings,
  }
  return { deps, database }
}
