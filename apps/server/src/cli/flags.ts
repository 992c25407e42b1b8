/**
 * The CLI builds request bodies from its flags and arguments, so a problem the shared validation
 * reports at a body pointer (`/mode`) is shown at what the operator typed (`--mode`).
 */

/** A problem as the verbs report it: a JSON Pointer into the body and a sentence. */
export interface Problem {
  path: string
  message: string
}

/** Body pointer → what the operator typed for it: `{ '/mode': '--mode', '/name': 'NAME' }`. */
export type FlagNames = Readonly<Record<string, string>>

/**
 * One line per problem, named by its flag: `--mode must be one of live, sandbox`. Quotes around
 * plain words go (on a command line `live` is typed bare); a pointer no flag builds stays as it is.
 */
export function flagProblems(problems: readonly Problem[], flags: FlagNames): string[] {
  return problems.map(({ path, message }) => {
    const flag = flags[path]
    if (flag === undefined) return `${path === '' ? '(input)' : path} ${message}`
    return `${flag} ${message.replace(/"([\w.-]+)"/g, '$1')}`
  })
}

/** The problems an error carries (`details`), or none: duck-typed, so any domain error fits. */
export function problemsOf(error: unknown): Problem[] {
  const details = (error as { details?: unknown }).details
  if (!Array.isArray(details)) return []
  return details.filter(
    (d): d is Problem => typeof d === 'object' && d !== null && typeof d.path === 'string' && typeof d.message === 'string',
  )
}
