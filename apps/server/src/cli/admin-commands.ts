/**
 * `wf orgs …` and `wf keys …`: organizations and API keys, on the database file or on a running
 * server's admin API. Which one is the backend's business (backend.ts, remote.ts): these commands
 * parse, print and choose exit codes the same way for both.
 */
import { parseArgs } from 'node:util'
import { type ParseResult, parseCreateApiKey, parseCreateOrganization } from '@wf/core'
import { type AdminBackend, AdminFailure } from './backend.js'
import { type FlagNames, flagProblems } from './flags.js'
import { type CliIo, EXIT, PROG } from './io.js'

/** How a command reaches the admin verbs. */
export interface AdminSource {
  /** Opened only once the arguments are good: a usage error touches neither the file nor the network. */
  open(): Promise<AdminBackend>
  /** How to run the next command against the same place (`pnpm wf --url URL` when --url chose it). */
  prog: string
}

const WHERE = `Works on the server's database (safe while it runs): WF_DATABASE_URL if set
(PostgreSQL), else the file at WF_DB_PATH (default data/wf.sqlite); with --url URL or WF_URL, on that running
server's admin API instead (Node or Workers), with its token in WF_ADMIN_TOKEN:
  WF_URL=http://127.0.0.1:3000 ${PROG} orgs create Acme
See '${PROG} --help' for --url and --admin-token.`

const ORGS_CREATE = `${PROG} orgs create NAME [--quiet | --json]`
const KEYS_CREATE = `${PROG} keys create --org ORG_ID --mode live|sandbox [--name LABEL] [--quiet | --json]`

export const orgsHelp = `Usage: ${ORGS_CREATE}

Creates an organization and prints its id.
${WHERE}

Options:
  --quiet, -q  print only the id:  ORG=$(${PROG} orgs create Acme --quiet)
  --json       print { "organization": { "id", "name", "created_at" } }`

export const keysHelp = `Usage:
  ${KEYS_CREATE}
  ${PROG} keys list --org ORG_ID [--json]
  ${PROG} keys revoke KEY_ID [--json]

create prints the secret once: it is stored only as a hash and cannot be shown again.
With --quiet it prints only the secret:  KEY=$(${PROG} keys create --org "$ORG" --mode live --quiet)
revoke takes effect at once, also for a running server.
${WHERE}`

const common = { json: { type: 'boolean' }, help: { type: 'boolean' } } as const
const quiet = { quiet: { type: 'boolean', short: 'q' } } as const

/** Where each field of the request bodies comes from on the command line. */
const ORG_FLAGS: FlagNames = { '/name': 'NAME' }
const KEY_FLAGS: FlagNames = { '/mode': '--mode', '/name': '--name' }

/** A usage error: what is wrong, each at its flag, then where the options are. Exit 2. */
function usageError(io: CliIo, command: string, problems: readonly string[], help: string): number {
  for (const p of problems) io.err(`wf ${command}: ${p}`)
  io.err(`Usage: ${help}\nRun '${PROG} ${command.split(' ')[0]} --help' for the options.`)
  return EXIT.usage
}

/** Core's check of the body the flags make; its problems come back named by flag. */
function fromFlags<T>(parsed: ParseResult<T>, flags: FlagNames): { value?: T; problems: string[] } {
  return parsed.ok ? { value: parsed.value, problems: [] } : { problems: flagProblems(parsed.issues, flags) }
}

/**
 * Runs admin verbs on the backend; a refusal is printed, its problems named by flag, with the exit
 * code the backend chose (2 invalid input; 1 not found, refused token, no answer).
 */
async function withAdmin(io: CliIo, flags: FlagNames, admin: AdminSource, fn: (backend: AdminBackend) => Promise<number>): Promise<number> {
  let backend: AdminBackend | undefined
  try {
    backend = await admin.open()
    return await fn(backend)
  } catch (e) {
    if (!(e instanceof AdminFailure)) throw e
    if (e.problems.length === 0) io.err(e.message)
    else for (const line of flagProblems(e.problems, flags)) io.err(line)
    return e.exitCode
  } finally {
    await backend?.close()
  }
}

export async function orgsCommand(args: string[], io: CliIo, admin: AdminSource): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...common, ...quiet }, allowPositionals: true })
  const [sub, name, ...extra] = positionals
  if (values.help) {
    io.out(orgsHelp)
    return EXIT.ok
  }
  if (sub !== 'create') {
    io.err(orgsHelp)
    return EXIT.usage
  }
  if (name === undefined) return usageError(io, 'orgs create', ['NAME is required'], ORGS_CREATE)
  if (extra.length > 0)
    return usageError(io, 'orgs create', [`one NAME only; quote a name with spaces ("${[name, ...extra].join(' ')}")`], ORGS_CREATE)
  const body = fromFlags(parseCreateOrganization({ name }), ORG_FLAGS)
  if (body.value === undefined) return usageError(io, 'orgs create', body.problems, ORGS_CREATE)
  const orgName = body.value.name
  return withAdmin(io, ORG_FLAGS, admin, async (backend) => {
    const org = await backend.createOrganization({ name: orgName })
    if (values.json) io.out(JSON.stringify({ organization: org }, null, 2))
    else if (values.quiet) io.out(org.id)
    else io.out(`Created organization ${org.id} (${org.name}).\nNext: ${admin.prog} keys create --org ${org.id} --mode live`)
    return EXIT.ok
  })
}

export async function keysCommand(args: string[], io: CliIo, admin: AdminSource): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...common, ...quiet, org: { type: 'string' }, mode: { type: 'string' }, name: { type: 'string' } },
    allowPositionals: true,
  })
  const [sub, ...rest] = positionals
  if (values.help) {
    io.out(keysHelp)
    return EXIT.ok
  }

  if (sub === 'create') {
    const body = fromFlags(parseCreateApiKey({ mode: values.mode, ...(values.name !== undefined && { name: values.name }) }), KEY_FLAGS)
    const problems = [
      ...(values.org === undefined ? ['--org is required'] : []),
      ...body.problems,
      ...rest.map((arg) => `unexpected argument '${arg}'`),
    ]
    if (problems.length > 0 || body.value === undefined || values.org === undefined) {
      return usageError(io, 'keys create', problems, KEYS_CREATE)
    }
    const { mode, name } = body.value
    const org = values.org
    return withAdmin(io, KEY_FLAGS, admin, async (backend) => {
      const created = await backend.createApiKey(org, { mode, ...(name !== null && { name }) })
      if (values.json) io.out(JSON.stringify(created, null, 2))
      else if (values.quiet) io.out(created.secret)
      else {
        io.out(`Created ${mode} key ${created.api_key.id} for ${org}.`)
        io.out(`Secret (shown once; store it now): ${created.secret}`)
      }
      return EXIT.ok
    })
  }
  if (sub === 'list') {
    const problems = [...(values.org === undefined ? ['--org is required'] : []), ...rest.map((arg) => `unexpected argument '${arg}'`)]
    if (problems.length > 0 || values.org === undefined)
      return usageError(io, 'keys list', problems, `${PROG} keys list --org ORG_ID [--json]`)
    const org = values.org
    return withAdmin(io, KEY_FLAGS, admin, async (backend) => {
      const keys = await backend.listApiKeys(org)
      if (values.json) io.out(JSON.stringify({ api_keys: keys }, null, 2))
      else if (keys.length === 0) io.out(`${org} has no API keys.`)
      else
        for (const k of keys)
          io.out(
            `${k.id}  ${k.mode.padEnd(7)}  ${k.prefix}…  ${k.revoked_at ? `revoked ${k.revoked_at}` : 'active'}  ${k.name ?? ''}`.trimEnd(),
          )
      return EXIT.ok
    })
  }
  if (sub === 'revoke') {
    if (rest.length !== 1)
      return usageError(
        io,
        'keys revoke',
        [rest.length === 0 ? 'KEY_ID is required' : 'one KEY_ID only'],
        `${PROG} keys revoke KEY_ID [--json]`,
      )
    const id = rest[0]!
    return withAdmin(io, KEY_FLAGS, admin, async (backend) => {
      const key = await backend.revokeApiKey(id)
      if (values.json) io.out(JSON.stringify({ api_key: key }, null, 2))
      else io.out(`Revoked ${key.id} at ${key.revoked_at}.`)
      return EXIT.ok
    })
  }
  io.err(keysHelp)
  return EXIT.usage
}
