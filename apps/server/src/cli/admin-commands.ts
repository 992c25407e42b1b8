/** `wf orgs …` and `wf keys …`: organisations and API keys, straight on the database file. */
import { parseArgs } from 'node:util'
import { ApiError, admin } from '@wf/api'
import { type CliIo, EXIT } from './io.js'

export const orgsHelp = `Usage: wf orgs create NAME [--json]

Creates an organisation and prints its id. Uses the database at WF_DB_PATH
(default data/wf.sqlite), the same file the server uses; safe while it runs.`

export const keysHelp = `Usage:
  wf keys create --org ORG_ID --mode live|sandbox [--name LABEL] [--json]
  wf keys list --org ORG_ID [--json]
  wf keys revoke KEY_ID [--json]

create prints the secret once: it is stored only as a hash and cannot be shown again.
revoke takes effect at once, also for a running server.
Uses the database at WF_DB_PATH (default data/wf.sqlite).`

const common = { json: { type: 'boolean' }, help: { type: 'boolean' } } as const

/** Runs an admin verb on the database; a domain error (unknown org, bad name) is exit 1. */
async function withAdmin(io: CliIo, fn: (ctx: ReturnType<CliIo['openAdmin']>['ctx']) => Promise<number>): Promise<number> {
  const handle = io.openAdmin()
  try {
    return await fn(handle.ctx)
  } catch (e) {
    if (!(e instanceof ApiError)) throw e
    io.err(e.message)
    return e.code === 'invalid_request' ? EXIT.usage : EXIT.problems
  } finally {
    handle.close()
  }
}

export async function orgsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: common, allowPositionals: true })
  const [sub, name, ...extra] = positionals
  if (values.help) return io.out(orgsHelp), EXIT.ok
  if (sub !== 'create' || name === undefined || extra.length > 0) return io.err(orgsHelp), EXIT.usage
  return withAdmin(io, async (ctx) => {
    const org = await admin.createOrganization(ctx, admin.parseCreateOrganization({ name }).name)
    if (values.json) io.out(JSON.stringify({ organization: org }, null, 2))
    else io.out(`Created organisation ${org.id} (${org.name}).\nNext: wf keys create --org ${org.id} --mode live`)
    return EXIT.ok
  })
}

export async function keysCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...common, org: { type: 'string' }, mode: { type: 'string' }, name: { type: 'string' } },
    allowPositionals: true,
  })
  const [sub, ...rest] = positionals
  if (values.help) return io.out(keysHelp), EXIT.ok

  if (sub === 'create' && values.org && rest.length === 0) {
    const org = values.org
    return withAdmin(io, async (ctx) => {
      const { mode, name } = admin.parseCreateApiKey({ mode: values.mode, ...(values.name !== undefined && { name: values.name }) })
      const created = await admin.createApiKey(ctx, org, mode, name)
      if (values.json) io.out(JSON.stringify(created, null, 2))
      else {
        io.out(`Created ${mode} key ${created.api_key.id} for ${org}.`)
        io.out(`Secret (shown once; store it now): ${created.secret}`)
      }
      return EXIT.ok
    })
  }
  if (sub === 'list' && values.org && rest.length === 0) {
    const org = values.org
    return withAdmin(io, async (ctx) => {
      const keys = await admin.listApiKeys(ctx, org)
      if (values.json) io.out(JSON.stringify({ api_keys: keys }, null, 2))
      else if (keys.length === 0) io.out(`${org} has no API keys.`)
      else for (const k of keys) io.out(`${k.id}  ${k.mode.padEnd(7)}  ${k.prefix}…  ${k.revoked_at ? `revoked ${k.revoked_at}` : 'active'}  ${k.name ?? ''}`.trimEnd())
      return EXIT.ok
    })
  }
  if (sub === 'revoke' && rest.length === 1) {
    const id = rest[0]!
    return withAdmin(io, async (ctx) => {
      const key = await admin.revokeApiKey(ctx, id)
      if (values.json) io.out(JSON.stringify({ api_key: key }, null, 2))
      else io.out(`Revoked ${key.id} at ${key.revoked_at}.`)
      return EXIT.ok
    })
  }
  io.err(keysHelp)
  return EXIT.usage
}
