import { createIdGenerator } from '@wf/api'
import { openDatabase } from '@wf/storage/node'
import { describe, expect, it } from 'vitest'
import { nodeSha256Hex } from '../node-hash.js'
import type { CliIo } from './io.js'
import { main } from './main.js'

/** One in-memory database per test file: the admin commands' state carries across calls. */
const db = openDatabase(':memory:')
const ctx = { store: db.store, clock: { now: () => new Date() }, ids: createIdGenerator(), sha256Hex: nodeSha256Hex }

function run(argv: string[], files: Record<string, string> = {}) {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: async (p) => {
      const text = files[p]
      if (text === undefined) throw new Error(`ENOENT: no such file '${p}'`)
      return text
    },
    openAdmin: async () => ({ ctx, close: () => {} }),
    env: {},
  }
  return main(argv, io).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }))
}

const valid = JSON.stringify({ name: 'KYC', steps: [{ id: 'FACE_LIVENESS' }] })
const invalid = JSON.stringify({ name: '', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 0 } }] })

describe('wf validate', () => {
  it('says the file is valid, then prints the resolved workflow, and exits 0', async () => {
    const r = await run(['validate', 'w.json'], { 'w.json': valid })
    expect(r.code).toBe(0)
    const [first, ...rest] = r.out.split('\n')
    expect(first).toMatch(/^w\.json: valid\b/)
    expect(JSON.parse(rest.join('\n'))).toEqual({ name: 'KYC', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 70 } }] })
    expect(r.err).toBe('')
  })

  it('--json on a valid file prints only JSON', async () => {
    const r = await run(['validate', '--json', 'w.json'], { 'w.json': valid })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual({
      ok: true,
      workflow: { name: 'KYC', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 70 } }] },
    })
  })

  it('prints each problem with its path and exits 1', async () => {
    const r = await run(['validate', 'w.json'], { 'w.json': invalid })
    expect(r.code).toBe(1)
    expect(r.err).toContain('/name: must not be empty')
    expect(r.err).toContain('/steps/0/config/confidence_threshold: must be an integer from 1 to 100')
  })

  it('--json gives a machine-readable result', async () => {
    const r = await run(['validate', '--json', 'w.json'], { 'w.json': invalid })
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out).issues).toHaveLength(2)
  })

  it('reports a file that is not JSON as a problem at the body', async () => {
    const r = await run(['validate', 'w.json'], { 'w.json': '{"name":' })
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/\(body\): is not valid JSON/)
  })

  it.each([[['validate']], [['validate', 'a', 'b']], [['validate', '--nope', 'w.json']], [['frobnicate']], [[]]])(
    'exits 2 on a usage error: %j',
    async (argv) => {
      expect((await run(argv, { 'w.json': valid })).code).toBe(2)
    },
  )

  it('exits 2 when the file cannot be read', async () => {
    const r = await run(['validate', 'missing.json'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('cannot read missing.json')
  })

  it('has help', async () => {
    expect((await run(['--help'])).out).toContain('validate FILE')
    const r = await run(['validate', '--help'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('Exit codes')
  })
})

describe('wf orgs and wf keys', () => {
  it('creates an organization, keys, lists and revokes them', async () => {
    const org = await run(['orgs', 'create', 'Acme', '--json'])
    expect(org.code).toBe(0)
    const orgId = JSON.parse(org.out).organization.id as string
    expect(orgId).toMatch(/^org_/)

    const live = await run(['keys', 'create', '--org', orgId, '--mode', 'live', '--name', 'backend', '--json'])
    expect(live.code).toBe(0)
    const created = JSON.parse(live.out)
    expect(created.secret).toMatch(/^wf_live_[A-Za-z0-9_-]{43}$/)
    expect(created.api_key).toMatchObject({ organization_id: orgId, mode: 'live', name: 'backend', revoked_at: null })

    const human = await run(['keys', 'create', '--org', orgId, '--mode', 'sandbox'])
    expect(human.out).toMatch(/Secret \(shown once; store it now\): wf_sandbox_/)

    const list = await run(['keys', 'list', '--org', orgId, '--json'])
    const keys = JSON.parse(list.out).api_keys as { id: string; secret?: string }[]
    expect(keys).toHaveLength(2)
    expect(list.out).not.toContain(created.secret)

    const revoked = await run(['keys', 'revoke', created.api_key.id, '--json'])
    expect(revoked.code).toBe(0)
    expect(JSON.parse(revoked.out).api_key.revoked_at).not.toBeNull()
    expect((await run(['keys', 'list', '--org', orgId])).out).toMatch(/revoked/)
  })

  it('exits 1 for an unknown organization or key', async () => {
    expect((await run(['keys', 'create', '--org', 'org_nope', '--mode', 'live'])).code).toBe(1)
    expect((await run(['keys', 'list', '--org', 'org_nope'])).code).toBe(1)
    const r = await run(['keys', 'revoke', 'key_nope'])
    expect(r.code).toBe(1)
    expect(r.err).toContain('key_nope')
  })

  it.each([
    [['orgs']],
    [['orgs', 'create']],
    [['orgs', 'create', '   ']],
    [['keys']],
    [['keys', 'create', '--mode', 'live']],
    [['keys', 'create', '--org', 'org_x', '--mode', 'admin']],
    [['keys', 'revoke']],
    [['keys', 'list']],
  ])('exits 2 on a usage error: %j', async (argv) => {
    expect((await run(argv)).code).toBe(2)
  })

  it('names a next command that runs as printed', async () => {
    const r = await run(['orgs', 'create', 'Hint Co'])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^Created organization org_\w+ \(Hint Co\)\.\nNext: pnpm wf keys create --org org_\w+ --mode live$/)
  })

  it('--quiet prints only the new id, or only the secret', async () => {
    const org = await run(['orgs', 'create', 'Quiet Co', '--quiet'])
    expect(org.code).toBe(0)
    expect(org.out).toMatch(/^org_[0-9A-Z]+$/)
    const key = await run(['keys', 'create', '--org', org.out, '--mode', 'sandbox', '-q'])
    expect(key.code).toBe(0)
    expect(key.out).toMatch(/^wf_sandbox_[A-Za-z0-9_-]{43}$/)
  })

  it.each([
    [['keys', 'create', '--org', 'org_x'], ['--mode must be one of live, sandbox']],
    [['keys', 'create', '--org', 'org_x', '--mode', 'admin'], ['--mode must be one of live, sandbox']],
    [['keys', 'create', '--mode', 'live'], ['--org is required']],
    [
      ['keys', 'create'],
      ['--org is required', '--mode must be one of live, sandbox'],
    ],
    [['keys', 'create', '--org', 'org_x', '--mode', 'live', '--name', '  '], ['--name must not be empty']],
    [['keys', 'list'], ['--org is required']],
    [['keys', 'revoke'], ['KEY_ID is required']],
    [['orgs', 'create'], ['NAME is required']],
    [['orgs', 'create', '   '], ['NAME must not be empty']],
    [['orgs', 'create', 'Acme', 'Corp'], ['one NAME only']],
  ])('a usage error names the flag or argument, not a body pointer: %j', async (argv, expected) => {
    const r = await run(argv)
    expect(r.code).toBe(2)
    for (const text of expected) expect(r.err).toContain(text)
    expect(r.err).not.toMatch(/(^|\s)\/(mode|name)\b/)
    expect(r.err).toContain("Run 'pnpm wf ")
  })

  it('has help for each command', async () => {
    expect((await run(['orgs', '--help'])).out).toContain('pnpm wf orgs create NAME')
    expect((await run(['keys', '--help'])).out).toContain('shown once'.replace('shown once', 'prints the secret once'))
    expect((await run(['--help'])).out).toContain('keys revoke KEY_ID')
  })
})
