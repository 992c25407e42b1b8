/** The Node server's settings from the environment (contract §7). */
import { resolve } from 'node:path'
import type { Settings } from '@wf/api'

export interface ServerSettings extends Settings {
  port: number
  host: string
  dbPath: string
}

export class SettingsError extends Error {}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new SettingsError(`${name} must be a positive number, got "${raw}"`)
  return value
}

export function readSettings(env: NodeJS.ProcessEnv, cwd: string): ServerSettings {
  const port = positiveNumber(env, 'PORT', 3000)
  if (!Number.isInteger(port) || port > 65535) throw new SettingsError(`PORT must be an integer from 1 to 65535, got "${env.PORT}"`)
  const burst = positiveNumber(env, 'WF_RATE_LIMIT_BURST', 35)
  if (burst < 1) throw new SettingsError('WF_RATE_LIMIT_BURST must be at least 1')
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dbPath: resolve(cwd, env.WF_DB_PATH || 'data/wf.sqlite'),
    adminToken: env.WF_ADMIN_TOKEN || undefined,
    rateLimit: { rps: positiveNumber(env, 'WF_RATE_LIMIT_RPS', 25), burst },
  }
}
