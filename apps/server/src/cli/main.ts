/** `wf`: the operator's command-line tool. */

import { keysCommand, orgsCommand } from './admin-commands.js'
import { type CliIo, EXIT, PROG } from './io.js'
import { validateCommand } from './validate.js'

export const help = `Usage: ${PROG} COMMAND [options]

Commands:
  orgs create NAME                                   create an organization
  keys create --org ID --mode live|sandbox [--name]  create an API key (prints the secret once)
  keys list --org ID                                 list an organization's keys
  keys revoke KEY_ID                                 revoke a key (at once)
  validate FILE                                      check a workflow file offline

Every command takes --help, and --json for machine-readable output; the two
create commands take --quiet to print only the id or the secret.
Exit codes: 0 done, 1 problems or not found, 2 usage error.

Run '${PROG} COMMAND --help' for a command's options.`

const commands: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  orgs: orgsCommand,
  keys: keysCommand,
  validate: validateCommand,
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help)
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  const command = commands[name]
  if (command === undefined) {
    io.err(`wf: unknown command '${name}'\n`)
    io.err(help)
    return EXIT.usage
  }
  try {
    return await command(args, io)
  } catch (e) {
    // parseArgs throws on unknown options: a usage error, not a crash.
    io.err(`wf ${name}: ${(e as Error).message}`)
    return EXIT.usage
  }
}
