/** JSON lines on stdout (errors on stderr): one object per line, for people and log shippers. */
import type { Logger } from '@wf/api'

export const jsonLogger: Logger = {
  info: (entry) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', ...entry })}\n`),
  error: (entry) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', ...entry })}\n`),
}
