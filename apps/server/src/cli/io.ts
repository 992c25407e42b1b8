/** What a command can touch; tests pass their own. */
import type { Deps } from '@wf/api'
import type { FetchLike } from '@wf/client'

export interface CliIo {
  out(line: string): void
  err(line: string): void
  readFile(path: string): Promise<string>
  /** Opens the server's database (WF_DB_PATH or WF_DATABASE_URL) for the operator commands. */
  openAdmin(): Promise<AdminHandle>
  /** The environment the remote mode reads: WF_URL, WF_ADMIN_TOKEN. */
  env: Readonly<Record<string, string | undefined>>
  /** How the remote mode sends its requests; the global fetch when absent. */
  fetch?: FetchLike
}

export interface AdminHandle {
  ctx: Pick<Deps, 'store' | 'clock' | 'ids' | 'sha256Hex'>
  close(): void | Promise<void>
}

/** How the operator runs this tool from the repository, for usage lines and hints. */
export const PROG = 'pnpm wf'

/** Exit codes: 0 done, 1 the input has problems or the thing was not found, 2 usage error. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const
