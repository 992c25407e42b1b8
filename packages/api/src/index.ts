/** @wf/api — the HTTP API as a Hono app factory, plus the verbs the Node CLI shares. */
export { createApp, type DepsSource } from './app.js'
export type { AppEnv, Caller, Clock, Deps, IdGenerator, Logger, Settings } from './env.js'
export { ApiError } from './errors.js'
export { createIdGenerator } from './ids.js'
export { sha256Hex } from './hash.js'
export {
  InMemoryRateLimiter,
  takeToken,
  type BucketState,
  type RateDecision,
  type RateLimitConfig,
  type RateLimiter,
} from './rate-limit/limiter.js'
export * as admin from './services/admin.js'
export { MAX_BODY_BYTES } from './middleware/write-body.js'
export { SettingsError, positiveNumber, readApiSettings } from './settings.js'
