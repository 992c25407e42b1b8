/** The Node server's settings from the environment (contract §7). */
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { positiveNumber, readApiSettings, type Settings, SettingsError } from '@wf/api'

export { SettingsError }

export interface ServerSettings extends Settings {
  port: number
  host: string
  dbPath: string
  /** The console's build, served at /console/ (the @wf/console package's dist/console). */
  consoleDir: string
}

export function readSettings(env: NodeJS.ProcessEnv, cwd: string): ServerSettings {
  const port = positiveNumber(env, 'PORT', 3000)
  if (!Number.isInteger(port) || port > 65535) throw new SettingsError(`PORT must be an integer from 1 to 65535, got "${env.PORT}"`)
  return {
    ...readApiSettings(env),
    port,
    host: env.HOST || '127.0.0.1',
    dbPath: resolve(cwd, env.WF_DB_PATH || 'data/wf.sqlite'),
    consoleDir: env.WF_CONSOLE_DIR ? resolve(cwd, env.WF_CONSOLE_DIR) : defaultConsoleDir(),
  }
}

/** apps/console/dist/console, found through this package's dependency on @wf/console. */
function defaultConsoleDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@wf/console/package.json')), 'dist', 'console')
  } catch {
    // not linked (a copy of this package alone): where the workspace keeps it
    return fileURLToPath(new URL('../../console/dist/console', import.meta.url))
  }
}
