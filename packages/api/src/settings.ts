/** The settings both apps read from their environment (contract §7), parsed one way. */
import type { Settings } from './env.js'

export class SettingsError extends Error {}

type EnvLike = Record<string, string | undefined>

export function positiveNumber(env: EnvLike, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new SettingsError(`${name} must be a positive number, got "${raw}"`)
  return value
}

/** WF_ADMIN_TOKEN, WF_RATE_LIMIT_RPS (default 25), WF_RATE_LIMIT_BURST (default 35). */
export function readApiSettings(env: EnvLike): Settings {
  const burst = positiveNumber(env, 'WF_RATE_LIMIT_BURST', 35)
  if (burst < 1) throw new SettingsError('WF_RATE_LIMIT_BURST must be at least 1')
  return {
    adminToken: env.WF_ADMIN_TOKEN || undefined,
    rateLimit: { rps: positiveNumber(env, 'WF_RATE_LIMIT_RPS', 25), burst },
  }
}
