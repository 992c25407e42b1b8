/** Where a command writes; tests pass their own. */
export interface CliIo {
  out(line: string): void
  err(line: string): void
  readFile(path: string): Promise<string>
}

/** Exit codes: 0 done, 1 the input has problems, 2 the command was used wrongly or failed. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const
