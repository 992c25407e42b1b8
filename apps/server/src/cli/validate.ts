/** `wf validate FILE`: offline validation of a workflow file against the contract. */
import { parseArgs } from 'node:util'
import { parseCreateWorkflow } from '@wf/core'
import { type CliIo, EXIT, PROG } from './io.js'

export const validateHelp = `Usage: ${PROG} validate FILE [--json]

Checks a workflow create request (JSON: { "name", "steps" }) offline, exactly as
POST /v1/workflows would. Says the file is valid and prints the resolved workflow
(every step config with its defaults applied), or prints each problem with its
JSON Pointer path.

Options:
  --json    print a machine-readable result: { "ok": true, "workflow": … } or
            { "ok": false, "issues": [ { "path", "message" } ] }
  --help    show this help

Exit codes: 0 valid, 1 the file has problems, 2 usage error or unreadable file.`

export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, help: { type: 'boolean' } },
    allowPositionals: true,
  })
  if (values.help) {
    io.out(validateHelp)
    return EXIT.ok
  }
  const [file, ...extra] = positionals
  if (file === undefined || extra.length > 0) {
    io.err('wf validate: expected exactly one FILE\n')
    io.err(validateHelp)
    return EXIT.usage
  }

  let text: string
  try {
    text = await io.readFile(file)
  } catch (e) {
    io.err(`wf validate: cannot read ${file}: ${(e as Error).message}`)
    return EXIT.usage
  }

  let input: unknown
  try {
    input = JSON.parse(text)
  } catch (e) {
    const issues = [{ path: '', message: `is not valid JSON: ${(e as Error).message}` }]
    return report(io, file, values.json === true, { ok: false, issues })
  }
  const result = parseCreateWorkflow(input)
  return report(io, file, values.json === true, result.ok ? { ok: true, workflow: result.value } : result)
}

type Outcome = { ok: true; workflow: unknown } | { ok: false; issues: { path: string; message: string }[] }

function report(io: CliIo, file: string, json: boolean, outcome: Outcome): number {
  if (json) io.out(JSON.stringify(outcome, null, 2))
  else if (outcome.ok) {
    io.out(`${file}: valid. The workflow as POST /v1/workflows would store it (defaults applied):`)
    io.out(JSON.stringify(outcome.workflow, null, 2))
  } else {
    io.err(`${file}: ${outcome.issues.length} problem${outcome.issues.length === 1 ? '' : 's'}`)
    for (const i of outcome.issues) io.err(`  ${i.path === '' ? '(body)' : i.path}: ${i.message}`)
  }
  return outcome.ok ? EXIT.ok : EXIT.problems
}
