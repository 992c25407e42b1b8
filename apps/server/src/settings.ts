/** The Node server's settings from the environment (contract §7). */
import { resolve } from 'node:path'
import { positiveNumber, readApiSettings, type Settings, SettingsError } from '@wf/api'

export { SettingsError }

export interface ServerSettings extends Settings {
  port: number
  host: string
  dbPath: string
}

export function readSettings(env: NodeJS.ProcessEnv, cwd: string): ServerSettings {
  const port = positiveNumber(env, 'PORT', 3000)
  if (!Number.isInteger(port) || port > 65535) throw new SettingsError(`PORT must be an integer from 1 to 65535, got "${env.PORT}"`)
  return {
    ...readApiSettings(env),
    port,
    host: env.HOST || '127.0.0.1',
    dbPath: resolve(cwd, env.WF_DB_PATH || 'data/wf.sqlite'),
  }
}
