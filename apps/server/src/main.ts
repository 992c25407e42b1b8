/**
 * The Node server: settings from the environment, the SQLite file opened and migrated, the API
 * served by @hono/node-server, and a graceful stop on SIGINT/SIGTERM (stop accepting, finish the
 * requests in flight, close the database).
 */
import { serve } from '@hono/node-server'
import { createApp } from '@wf/api'
import { answerClientError } from './client-error.js'
import { buildDeps } from './deps.js'
import { jsonLogger } from './logger.js'
import { SettingsError, readSettings } from './settings.js'

const SHUTDOWN_GRACE_MS = 10_000

function start() {
  const settings = readSettings(process.env, process.cwd())
  const { deps, database } = buildDeps(settings)
  const app = createApp(deps)

  // @hono/node-server stops reading a body that is too large and drops the connection soon after:
  // say so with Connection: close, so the client does not send its next request on it.
  const fetch = async (req: Request) => {
    const res = await app.fetch(req)
    if (res.status === 413) res.headers.set('connection', 'close')
    return res
  }
  const server = serve({
    fetch,
    port: settings.port,
    hostname: settings.host,
    // A slow client must not hold a connection forever (slowloris). Node checks these timeouts
    // every connectionsCheckingInterval (30 s by default), which can only be set here, at creation.
    serverOptions: { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 },
  }, (info) => {
    deps.logger.info({ msg: 'listening', url: `http://${settings.host}:${info.port}`, db: settings.dbPath, admin_endpoints: settings.adminToken !== undefined })
    if (!database.sqlite.prepare('SELECT 1 FROM organizations LIMIT 1').get()) {
      jsonLogger.flush() // the 'listening' line first
      process.stdout.write(firstRunHelp(settings.adminToken !== undefined))
    }
  })
  server.on('clientError', answerClientError(deps.ids))

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    deps.logger.info({ msg: 'stopping', signal })
    // Busy keep-alive connections never go idle: answer what is in flight with Connection: close
    // so each client lets go after its response, and the server can close.
    server.on('request', (_req: unknown, res: { setHeader(name: string, value: string): void }) => res.setHeader('Connection', 'close'))
    const force = setTimeout(() => {
      deps.logger.error({ msg: 'requests still in flight after the grace period; closing anyway' })
      if ('closeAllConnections' in server) server.closeAllConnections()
    }, SHUTDOWN_GRACE_MS)
    force.unref()
    server.close(() => {
      database.sqlite.close()
      deps.logger.info({ msg: 'stopped' })
      clearTimeout(force)
    })
    // Idle keep-alive connections would otherwise keep close() waiting.
    if ('closeIdleConnections' in server) server.closeIdleConnections()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

/** Chosen over creating an organisation by itself: the operator names it and sees each secret once. */
function firstRunHelp(adminEnabled: boolean): string {
  return `
The database has no organisation yet. Create one and its first API key:

  pnpm wf orgs create "Acme"                                # prints the organisation id (org_…)
  pnpm wf keys create --org org_… --mode live               # prints the secret once

(same WF_DB_PATH as this server)${adminEnabled ? ', or with the admin API:\n\n  curl -X POST localhost:PORT/admin/v1/organizations -H "Authorization: Bearer $WF_ADMIN_TOKEN" -H "content-type: application/json" -d \'{"name":"Acme"}\'' : ''}

`
}

try {
  start()
} catch (e) {
  if (e instanceof SettingsError) {
    process.stderr.write(`wf server: ${e.message}\n`)
    process.exit(2)
  }
  throw e
}
