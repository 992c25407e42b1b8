/** `wf`: the operator's command-line tool. */
import { type CliIo, EXIT } from './io.js'
import { validateCommand } from './validate.js'

export const help = `Usage: wf COMMAND [options]

Commands:
  validate FILE     check a workflow file offline and print it resolved

Run 'wf COMMAND --help' for a command's options.`

const commands: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
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
