/**
 * The built server and the `wf` CLI on PostgreSQL (WF_DATABASE_URL), as an operator runs them: a
 * fresh database is migrated at start, the log names it without its password, the CLI writes to the
 * same database, and a database that cannot be reached stops the start with one line. Needs a
 * PostgreSQL server (@wf/storage/testing says which and skips without one, unless WF_REQUIRE_SERVICES=1).
 */
import { spawnSync } from 'node:child_process'
import { get as httpGet } from 'node:http'
import { fileURLToPath } from 'node:url'
import { postgresForTests } from '@wf/storage/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, type RunningServer, startServer } from './server-process.js'

const CLI = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url))
const database = await postgresForTests({ name: 'server' })
if (!database.ok) console.warn(`apps/server PostgreSQL process tests skipped: ${database.reason}`)

describe.skipIf(!database.ok)('the server on PostgreSQL', () => {
  const url = database.ok ? database.url : ''
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer({ WF_DATABASE_URL: url, WF_RATE_LIMIT_STORE: 'postgres' })
  })
  afterAll(async () => {
    server?.process.kill('SIGTERM')
    await server?.exited
    if (database.ok) await database.dropDatabase()
  })

  const wf = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, WF_DATABASE_URL: url }, encoding: 'utf8', timeout: 30_000 })

  it('starts on a fresh database, says where the data is without a password, and how to begin', () => {
    const listening = server
      .output()
      .split('\n')
      .find((line) => line.includes('"msg":"listening"'))
    expect(listening).toBeDefined()
    const line = JSON.parse(listening!) as { db: string; rate_limit: string }
    expect(line.db).toBe(url)
    expect(line.rate_limit).toBe('postgres')
    expect(server.output()).toContain('The database has no organization yet')
  })

  it('the CLI writes to the same database; the server serves what it wrote', async () => {
    const org = wf('orgs', 'create', 'Acme', '--quiet')
    expect(org.stderr).toBe('')
    expect(org.status).toBe(0)
    const key = wf('keys', 'create', '--org', org.stdout.trim(), '--mode', 'live', '--quiet')
    expect(key.status).toBe(0)
    const res = await fetch(`${server.url}/v1/workflows`, { headers: { 'x-api-key': key.stdout.trim() } })
    expect(res.status).toBe(200)
    expect(await res.json()).toStrictEqual({ workflows: [], next_cursor: null })
  })

  it('a key revoked by the CLI is refused by the server at its next request', async () => {
    const org = wf('orgs', 'create', 'Revoked', '--quiet').stdout.trim()
    const created = JSON.parse(wf('keys', 'create', '--org', org, '--mode', 'live', '--json').stdout) as {
      api_key: { id: string }
      secret: string
    }
    // A connection of its own per request: the CLI can take seconds on a busy machine, and a
    // kept-alive socket reused just as the server's 5 s keep-alive closes it fails the request.
    const get = () =>
      new Promise<number>((resolve, reject) => {
        httpGet(`${server.url}/v1/workflows`, { headers: { 'x-api-key': created.secret }, agent: false }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        }).on('error', reject)
      })
    expect(await get()).toBe(200)
    expect(wf('keys', 'revoke', created.api_key.id).status).toBe(0)
    expect(await get()).toBe(401)
  })
})

describe('PostgreSQL that cannot be reached', () => {
  it('stops the server at start with one line naming it without the password, exit 1', async () => {
    const port = await freePort() // nothing listens there
    const unreachable = `postgres://wf:s3cret@127.0.0.1:${port}/wf`
    await expect(startServer({ WF_DATABASE_URL: unreachable })).rejects.toThrow(
      new RegExp(`wf server: cannot open PostgreSQL at postgres://wf@127\\.0\\.0\\.1:${port}/wf: .*ECONNREFUSED`),
    )
  })

  it('the CLI says so in one line, exit 1, with no stack', async () => {
    const port = await freePort()
    const run = spawnSync(process.execPath, [CLI, 'orgs', 'create', 'Acme'], {
      env: { ...process.env, WF_DATABASE_URL: `postgres://wf:s3cret@127.0.0.1:${port}/wf` },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(new RegExp(`^cannot open PostgreSQL at postgres://wf@127\\.0\\.0\\.1:${port}/wf: .*\\n$`))
    expect(run.stderr).not.toContain('s3cret')
    expect(run.stderr).not.toContain('    at ')
  })
})
