// The remote mode of `wf orgs`/`wf keys`: the same commands on a server's admin API. Most tests
// send the admin client's requests to the real app in this process (its `fetch`), on the same
// in-memory database the file mode uses here, so the two modes can be compared on the same data;
// the last ones go over the network (a closed port, and the built server as a process).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, createIdGenerator, type Deps, InMemoryRateLimiter, readKeyEachTime } from '@wf/api'
import type { FetchLike } from '@wf/client'
import { oneAtATime } from '@wf/domain'
import { openDatabase } from '@wf/storage/node'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { freePort, type RunningServer, startServer } from '../../test/server-process.js'
import { nodeSha256Hex } from '../node-hash.js'
import type { CliIo } from './io.js'
import { main } from './main.js'

const TOKEN = 'cli-test-admin-token'
const URL_ = 'http://wf.test:3000'

const db = openDatabase(':memory:')
const ctx = { store: db.store, clock: { now: () => new Date() }, ids: createIdGenerator(), sha256Hex: nodeSha256Hex }

function appOn(adminToken: string | undefined) {
  const deps: Deps = {
    ...ctx,
    changes: oneAtATime(),
    keys: readKeyEachTime,
    admission: 'sequential',
    rateLimiter: new InMemoryRateLimiter({ rps: 10_000, burst: 10_000 }),
    logger: { info: () => {}, error: () => {} },
    settings: { adminToken, rateLimit: { rps: 10_000, burst: 10_000 } },
  }
  const app = createApp(deps)
  return (input: string, init: RequestInit) => app.fetch(new Request(input, init)) as Promise<Response>
}
const serverFetch = appOn(TOKEN)

/** What each run touched: the file (openAdmin) and the network (requests, with their URLs). */
let fileOpens = 0
let requests: string[] = []
beforeEach(() => {
  fileOpens = 0
  requests = []
})

interface RunOptions {
  env?: Record<string, string>
  fetch?: FetchLike | null
}

async function run(argv: string[], { env = {}, fetch = serverFetch }: RunOptions = {}) {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: async () => JSON.stringify({ name: 'KYC', steps: [{ id: 'FACE_LIVENESS' }] }),
    openAdmin: async () => {
      fileOpens++
      return { ctx, close: () => {} }
    },
    env,
    // null: the real global fetch, over the network.
    ...(fetch !== null && {
      fetch: (input: string, init: RequestInit) => {
        requests.push(`${init.method} ${input}`)
        return fetch(input, init)
      },
    }),
  }
  const code = await main(argv, io)
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const onFile = (argv: string[]) => run(argv)
/** The remote mode as the help recommends it: the URL and the token from the environment. */
const onServer = (argv: string[], fetch: FetchLike = serverFetch) => run(argv, { env: { WF_URL: URL_, WF_ADMIN_TOKEN: TOKEN }, fetch })

/** Ids, secrets and times differ from one creation to the next; everything else must not. */
function shape(text: string): string {
  return text
    .replace(/\b(org|key)_[0-9A-Z]{26}\b/g, '$1_ID')
    .replace(/\bwf_(live|sandbox)_[A-Za-z0-9_-]+/g, 'wf_$1_SECRET')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIME')
}

/** Runs argv in both modes and checks each went where it should. */
async function both(argv: string[]) {
  fileOpens = 0
  requests = []
  const file = await onFile(argv)
  expect(requests).toEqual([])
  expect(fileOpens).toBe(1)
  fileOpens = 0
  const server = await onServer(argv)
  expect(fileOpens).toBe(0)
  expect(requests.length).toBeGreaterThan(0)
  expect(requests.every((r) => r.includes(`${URL_}/admin/v1/`))).toBe(true)
  return { file, server }
}

async function newOrg(): Promise<string> {
  const r = await onFile(['orgs', 'create', 'Shared Co', '--quiet'])
  expect(r.code).toBe(0)
  return r.out
}

describe('wf orgs and wf keys on a server print what they print on the file', () => {
  it.each([[[]], [['--json']], [['--quiet']]])('orgs create %j', async (extra) => {
    const { file, server } = await both(['orgs', 'create', 'Acme', ...extra])
    expect(server.code).toBe(0)
    expect(server.code).toBe(file.code)
    expect(shape(server.out)).toBe(shape(file.out))
    expect(server.err).toBe(file.err)
    expect(shape(server.out)).toMatch(/org_ID/)
  })

  it.each([[[]], [['--json']], [['--quiet']], [['--name', 'backend', '--json']]])('keys create %j', async (extra) => {
    const org = await newOrg()
    const { file, server } = await both(['keys', 'create', '--org', org, '--mode', 'sandbox', ...extra])
    expect(server.code).toBe(0)
    expect(server.code).toBe(file.code)
    expect(shape(server.out)).toBe(shape(file.out))
    expect(shape(server.out)).toMatch(/wf_sandbox_SECRET/)
    expect(server.err).toBe(file.err)
  })

  it('keys create --json keeps the wire order of the fields ({ api_key, secret })', async () => {
    const r = await onServer(['keys', 'create', '--org', await newOrg(), '--mode', 'live', '--json'])
    expect(Object.keys(JSON.parse(r.out))).toEqual(['api_key', 'secret'])
  })

  it.each([[[]], [['--json']]])('keys list %j: the same keys, the same bytes', async (extra) => {
    const org = await newOrg()
    await onFile(['keys', 'create', '--org', org, '--mode', 'live', '--name', 'on the file'])
    await onServer(['keys', 'create', '--org', org, '--mode', 'sandbox'])
    const { file, server } = await both(['keys', 'list', '--org', org, ...extra])
    expect(server.code).toBe(0)
    expect(file.code).toBe(0)
    expect(server.out).toBe(file.out)
    expect(server.out.split('\n').filter((l) => /key_/.test(l))).toHaveLength(2)
  })

  it('keys list of an organization without keys', async () => {
    const { file, server } = await both(['keys', 'list', '--org', await newOrg()])
    expect(server.out).toBe(file.out)
    expect(server.out).toMatch(/has no API keys\.$/)
  })

  it.each([[[]], [['--json']]])('keys revoke %j: revoking again keeps revoked_at, so the same bytes', async (extra) => {
    const org = await newOrg()
    const key = JSON.parse((await onFile(['keys', 'create', '--org', org, '--mode', 'live', '--json'])).out).api_key.id as string
    const first = await onServer(['keys', 'revoke', key, ...extra])
    expect(first.code).toBe(0)
    const { file, server } = await both(['keys', 'revoke', key, ...extra])
    expect(file.code).toBe(0)
    expect(server.code).toBe(0)
    expect(server.out).toBe(first.out)
    expect(server.out).toBe(file.out)
    expect(server.out).toContain(key)
  })

  it.each([
    [['keys', 'create', '--org', 'org_nope', '--mode', 'live']],
    [['keys', 'list', '--org', 'org_nope']],
    [['keys', 'revoke', 'key_nope']],
  ])('not found %j: exit 1 and the same message', async (argv) => {
    const { file, server } = await both(argv)
    expect(file.code).toBe(1)
    expect(server.code).toBe(1)
    expect(server.err).toBe(file.err)
    expect(server.err).toMatch(/(org|key)_nope not found/)
    expect(server.out).toBe('')
  })
})

describe('the remote mode', () => {
  it('takes --url and --admin-token before the command, or after it', async () => {
    for (const argv of [
      ['--url', URL_, '--admin-token', TOKEN, 'orgs', 'create', 'Flags', '--quiet'],
      ['orgs', 'create', 'Flags', '--quiet', `--url=${URL_}`, `--admin-token=${TOKEN}`],
      ['orgs', '--url', URL_, 'create', 'Flags', '--admin-token', TOKEN, '--quiet'],
    ]) {
      requests = []
      const r = await run(argv)
      expect(r.code, argv.join(' ')).toBe(0)
      expect(r.out).toMatch(/^org_[0-9A-Z]{26}$/)
      expect(requests).toEqual([`POST ${URL_}/admin/v1/organizations`])
    }
    expect(fileOpens).toBe(0)
  })

  it('the flags win over WF_URL and WF_ADMIN_TOKEN', async () => {
    const r = await run(['--url', URL_, '--admin-token', TOKEN, 'keys', 'list', '--org', await newOrg()], {
      env: { WF_URL: 'http://elsewhere.test', WF_ADMIN_TOKEN: 'wrong' },
    })
    expect(r.code).toBe(0)
    expect(requests.every((u) => u.includes(URL_))).toBe(true)
  })

  it('after --url, the next command it suggests keeps the --url (never the token)', async () => {
    const r = await run(['--url', `${URL_}/`, '--admin-token', TOKEN, 'orgs', 'create', 'Hint Co'])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/\nNext: pnpm wf --url http:\/\/wf\.test:3000 keys create --org org_\w+ --mode live$/)
    expect(r.out).not.toContain(TOKEN)
  })

  it('a bad --mode is a usage error named by its flag, and nothing is sent', async () => {
    const r = await onServer(['keys', 'create', '--org', await newOrg(), '--mode', 'admin'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('--mode must be one of live, sandbox')
    expect(r.err).not.toMatch(/(^|\s)\/mode\b/)
    expect(requests).toEqual([])
  })

  it("the server's own 400 is a usage error too, each problem named by its flag", async () => {
    // As if the server's rules were stricter than this CLI's: the body is changed on its way.
    const stricter: FetchLike = (input, init) => serverFetch(input, { ...init, body: JSON.stringify({ mode: 'admin', name: '' }) })
    const r = await onServer(['keys', 'create', '--org', await newOrg(), '--mode', 'live', '--name', 'ok'], stricter)
    expect(r.code).toBe(2)
    expect(r.err).toContain('--mode must be one of live, sandbox')
    expect(r.err).toMatch(/^--name must not be empty/m)
    expect(r.err).not.toMatch(/(^|\s)\/(mode|name)\b/)
  })

  it('a wrong token: exit 1, the admin token was refused by the URL', async () => {
    const r = await run(['keys', 'list', '--org', 'org_x'], { env: { WF_URL: URL_, WF_ADMIN_TOKEN: 'not-the-token' } })
    expect(r.code).toBe(1)
    expect(r.err).toBe(`wf: the admin token was refused by ${URL_} (401): it must be that server's WF_ADMIN_TOKEN`)
    expect(r.out).toBe('')
  })

  it('a server without WF_ADMIN_TOKEN has no admin API: exit 1, and says so', async () => {
    const r = await onServer(['orgs', 'create', 'Nope'], appOn(undefined))
    expect(r.code).toBe(1)
    expect(r.err).toContain(`${URL_} has no admin API`)
    expect(r.err).toContain('WF_ADMIN_TOKEN')
  })

  it.each([
    [['--url', URL_, 'orgs', 'create', 'A'], {}, /--url needs an admin token.*WF_ADMIN_TOKEN/],
    [['orgs', 'create', 'A'], { WF_URL: URL_ }, /WF_URL needs an admin token.*WF_ADMIN_TOKEN/],
    [['--admin-token', TOKEN, 'orgs', 'create', 'A'], {}, /--admin-token needs --url/],
    [['--url', 'localhost:3000', '--admin-token', TOKEN, 'keys', 'list', '--org', 'o'], {}, /--url must be an http\(s\) URL/],
    [['orgs', 'create', 'A', '--url'], { WF_ADMIN_TOKEN: TOKEN }, /--url needs a value/],
  ])('a usage error, exit 2, before anything is opened or sent: %j %j', async (argv, env, message) => {
    const r = await run(argv, { env })
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message)
    expect(r.err).toContain("Run 'pnpm wf --help'")
    expect(requests).toEqual([])
    expect(fileOpens).toBe(0)
  })

  it('WF_ADMIN_TOKEN alone keeps the file', async () => {
    const r = await run(['orgs', 'create', 'Local', '--quiet'], { env: { WF_ADMIN_TOKEN: TOKEN } })
    expect(r.code).toBe(0)
    expect(fileOpens).toBe(1)
    expect(requests).toEqual([])
  })

  it('validate refuses --url, and ignores WF_URL', async () => {
    const refused = await run(['validate', 'w.json', '--url', URL_])
    expect(refused.code).toBe(2)
    expect(refused.err).toContain('validate checks the file offline')
    const ignored = await run(['validate', 'w.json'], { env: { WF_URL: URL_ } })
    expect(ignored.code).toBe(0)
    expect(requests).toEqual([])
  })

  it('help needs no token, and shows the remote mode', async () => {
    const r = await run(['--url', URL_, 'keys', '--help'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('WF_URL')
    const top = await run(['--help'])
    expect(top.out).toContain('--url URL')
    expect(top.out).toMatch(/visible to every\s+user of the machine in 'ps'/)
  })
})

describe('the remote mode over the network', () => {
  it('an unreachable URL: exit 1, one line naming the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}` // free, so nothing listens there
    for (const argv of [
      ['orgs', 'create', 'Acme'],
      ['keys', 'list', '--org', 'org_x'],
    ]) {
      const r = await run(argv, { env: { WF_URL: url, WF_ADMIN_TOKEN: TOKEN }, fetch: null })
      expect(r.code).toBe(1)
      expect(r.err).toMatch(new RegExp(`^wf: could not reach ${url}: .*ECONNREFUSED`))
      expect(r.err.split('\n')).toHaveLength(1)
      expect(r.out).toBe('')
    }
  })

  describe('the built server (dist/main.js) as a process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-cli-remote-'))
    let server: RunningServer
    beforeAll(async () => {
      server = await startServer({ WF_DB_PATH: join(dir, 'wf.sqlite'), WF_ADMIN_TOKEN: TOKEN })
    })
    afterAll(async () => {
      server?.process.kill('SIGTERM')
      await server?.exited
      rmSync(dir, { recursive: true, force: true })
    })

    it('runs the four commands', async () => {
      const remote = (argv: string[]) => run(['--url', server.url, ...argv], { env: { WF_ADMIN_TOKEN: TOKEN }, fetch: null })
      const org = await remote(['orgs', 'create', 'Process Co', '--quiet'])
      expect(org.code).toBe(0)
      const key = await remote(['keys', 'create', '--org', org.out, '--mode', 'live', '--json'])
      expect(key.code).toBe(0)
      const { api_key, secret } = JSON.parse(key.out)
      expect(secret).toMatch(/^wf_live_/)
      // The server's own key: it opens the API of that server, until it is revoked.
      const withKey = () => fetch(`${server.url}/v1/workflows`, { headers: { 'x-api-key': secret } })
      expect((await withKey()).status).toBe(200)
      const list = await remote(['keys', 'list', '--org', org.out])
      expect(list.out).toMatch(new RegExp(`^${api_key.id}  live {5}${api_key.prefix}…  active$`))
      const revoked = await remote(['keys', 'revoke', api_key.id])
      expect(revoked.code).toBe(0)
      expect(revoked.out).toMatch(new RegExp(`^Revoked ${api_key.id} at \\d{4}-`))
      expect((await remote(['keys', 'list', '--org', org.out])).out).toContain('revoked')
      expect((await withKey()).status).toBe(401)
      expect(fileOpens).toBe(0)
    })
  })
})
