/**
 * The Node server: settings from the environment, the SQLite file opened and migrated, the API
 * served by @hono/node-server, the console's build at /console/ (console/serve.ts), and a graceful
 * stop on SIGINT/SIGTERM (stop accepting, finish the requests in flight, close the database).
 * The data is in the SQLite file or in PostgreSQL (settings.ts); with PostgreSQL the process keeps
 * nothing of its own, and any number of them can serve behind one load balancer.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { createApp } from '@wf/api'
import { consoleAnswers, createConsole } from './console/serve.js'
import { DatabaseUnavailable } from './database.js'
import { buildDeps } from './deps.js'
import { jsonLogger } from './logger.js'
import { httpGuards, PARSER_MAX_HEADER_BYTES } from './node-http.js'
import { describeDatabase, readSettings, SettingsError } from './settings.js'

const SHUTDOWN_GRACE_MS = 10_000

async function start() {
  const settings = readSettings(process.env, process.cwd())
  const { deps, resources } = await buildDeps(settings)
  const app = createApp(deps)
  const site = createConsole({
    dir: settings.consoleDir,
    onInvalidRules: (invalid) => deps.logger.error({ msg: 'console _headers: lines skipped', dir: settings.consoleDir, invalid }),
  })
  consoleAnswers(app, site)

  // The console's files first, as on the edge (where they are served before the Worker runs), so
  // they carry only their own headers; what it does not serve, the API answers. @hono/node-server
  // stops reading a body that is too large and drops the connection soon after: say so with
  // Connection: close, so the client does not send its next request on it.
  const fetch = async (req: Request) => {
    const started = performance.now()
    const page = await site.fetch(req)
    if (page !== undefined) {
      const path = new URL(req.url).pathname
      const duration_ms = Math.round((performance.now() - started) * 100) / 100
      deps.logger.info({ msg: 'request', method: req.method, path, status: page.status, duration_ms, request_id: null, key_id: null })
      return page
    }
    const res = await app.fetch(req)
    if (res.status === 413) res.headers.set('connection', 'close')
    return res
  }
  // @hono/node-server turns Node's requests into the app's; the guards answer what Node would
  // answer bare, or not at all (node-http.ts).
  const guards = httpGuards(getRequestListener(fetch), deps.ids)
  const server = createServer(
    {
      // A slow client must not hold a connection forever (slowloris). Node checks these timeouts
      // every connectionsCheckingInterval (30 s by default), which can only be set at creation.
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
      maxHeaderSize: PARSER_MAX_HEADER_BYTES,
      requireHostHeader: false, // the guards answer it with the contract's body instead of a bare 400
    },
    guards.listener,
  )
  guards.install(server)
  // Node keeps the first 2,000 header fields and silently drops the rest (a Host or a key after
  // them was lost). The 16 KiB rule on the head bounds the count instead, as on Workers.
  server.maxHeadersCount = 0
  server.listen(settings.port, settings.host, async () => {
    const { port } = server.address() as AddressInfo
    const url = `http://${settings.host}:${port}`
    const consoleState = await site.state()
    deps.logger.info({
      msg: 'listening',
      url,
      console: `${url}/console/`,
      db: describeDatabase(settings.database),
      rate_limit: resources.rateLimitStore,
      admin_endpoints: settings.adminToken !== undefined,
    })
    if (!consoleState.ready) deps.logger.info({ msg: 'console not served', reason: consoleState.reason })
    if (await resources.isEmpty()) {
      jsonLogger.flush() // the 'listening' line first
      process.stdout.write(firstRunHelp(settings.adminToken !== undefined, `${url}/console/`))
    }
  })

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
      server.closeAllConnections()
    }, SHUTDOWN_GRACE_MS)
    force.unref()
    server.close(async () => {
      await resources.close()
      deps.logger.info({ msg: 'stopped' })
      clearTimeout(force)
    })
    // Idle keep-alive connections would otherwise keep close() waiting.
    server.closeIdleConnections()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

/** Chosen over creating an organization by itself: the operator names it and sees each secret once. */
function firstRunHelp(adminEnabled: boolean, consoleUrl: string): string {
  return `
The database has no organization yet. Create one and its first API key:

  pnpm wf orgs create "Acme"                                # prints the organization id (org_…)
  pnpm wf keys create --org org_… --mode live               # prints the secret once

(same WF_DB_PATH or WF_DATABASE_URL as this server)${adminEnabled ? ', or with the admin API:\n\n  curl -X POST localhost:PORT/admin/v1/organizations -H "Authorization: Bearer $WF_ADMIN_TOKEN" -H "content-type: application/json" -d \'{"name":"Acme"}\'' : ''}

Then open the console at ${consoleUrl} and sign in with that API key.

`
}

try {
  await start()
} catch (e) {
  if (e instanceof SettingsError) {
    process.stderr.write(`wf server: ${e.message}\n`)
    process.exit(2)
  }
  if (e instanceof DatabaseUnavailable) {
    process.stderr.write(`wf server: ${e.message}\n`)
    process.exit(1)
  }
  throw e
}
