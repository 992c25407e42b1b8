/** `wf`: the operator's command-line tool. */

import { type AdminSource, keysCommand, orgsCommand } from './admin-commands.js'
import { fileBackend } from './backend.js'
import { type CliIo, EXIT, PROG } from './io.js'
import { remoteBackend, resolveTarget, takeGlobalFlags } from './remote.js'
import { validateCommand } from './validate.js'

export const help = `Usage: ${PROG} [--url URL [--admin-token TOKEN]] COMMAND [options]

Commands:
  orgs create NAME                                   create an organization
  keys create --org ID --mode live|sandbox [--name]  create an API key (prints the secret once)
  keys list --org ID                                 list an organization's keys
  keys revoke KEY_ID                                 revoke a key (at once)
  validate FILE                                      check a workflow file offline

orgs and keys work on the server's database: WF_DATABASE_URL (PostgreSQL) if
set, else the file WF_DB_PATH (default data/wf.sqlite); or, given a URL, on
that running server's admin API (/admin/v1), a Node server or the edge app:
  --url URL            or WF_URL: the server, e.g. http://127.0.0.1:3000
  --admin-token TOKEN  or WF_ADMIN_TOKEN: the server's own WF_ADMIN_TOKEN.
                       Prefer the variable: a token on the command line is
                       visible to every user of the machine in 'ps'.
  export WF_URL=https://wf.example.com
  read -rs WF_ADMIN_TOKEN && export WF_ADMIN_TOKEN   # typed unseen, not in history
  ${PROG} orgs create Acme      # this and every orgs/keys command: on the server
The flags may stand before or after the command. WF_ADMIN_TOKEN alone keeps the
file (a server started from the same shell reads it too); to use the file while
WF_URL is set, run with WF_URL= (empty). validate always works offline: it
refuses --url and --admin-token, and ignores WF_URL.

Every command takes --help, and --json for machine-readable output; the two
create commands take --quiet to print only the id or the secret. The output is
the same on the file and on a server (after --url, a suggested next command
keeps the --url).
Exit codes: 0 done, 1 problems, not found, token refused or server unreachable,
2 usage error.

Run '${PROG} COMMAND --help' for a command's options.`

const adminCommands: Record<string, (args: string[], io: CliIo, admin: AdminSource) => Promise<number>> = {
  orgs: orgsCommand,
  keys: keysCommand,
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const global = takeGlobalFlags(argv)
  const [name, ...args] = global.rest
  if (global.problems.length > 0) return usage(io, name, global.problems)
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help)
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  try {
    if (name === 'validate') {
      if (global.flags.url !== undefined || global.flags.adminToken !== undefined) {
        return usage(io, name, ['--url and --admin-token do not apply: validate checks the file offline, without a server'])
      }
      return await validateCommand(args, io)
    }
    const command = adminCommands[name]
    if (command === undefined) {
      io.err(`wf: unknown command '${name}'\n`)
      io.err(help)
      return EXIT.usage
    }
    const { target, problems } = resolveTarget(global.flags, io.env)
    // A missing token must not stand between the operator and a command's help.
    const wantsHelp = args.includes('--help') || args.includes('-h')
    if (problems.length > 0 && !wantsHelp) return usage(io, name, problems)
    const admin: AdminSource =
      target === undefined
        ? { open: async () => fileBackend(await io.openAdmin()), prog: PROG }
        : { open: async () => remoteBackend(target, io.fetch), prog: target.from === 'flag' ? `${PROG} --url ${target.url}` : PROG }
    return await command(args, io, admin)
  } catch (e) {
    // parseArgs throws on unknown options: a usage error, not a crash.
    io.err(`wf ${name}: ${(e as Error).message}`)
    return EXIT.usage
  }
}

function usage(io: CliIo, name: string | undefined, problems: readonly string[]): number {
  for (const p of problems) io.err(`wf${name === undefined ? '' : ` ${name}`}: ${p}`)
  io.err(`Run '${PROG} --help' for the options.`)
  return EXIT.usage
}
