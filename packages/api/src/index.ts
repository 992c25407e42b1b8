/** @wf/api — the HTTP API as a Hono app factory, plus the verbs the Node CLI shares. */
export { type Identified, KeyIdentities, type KeyIdentitiesOptions, type KeyResolver, readKeyEachTime } from './admission/key-identities.js'
export { createApp, type DepsSource } from './app.js'
export type { AppEnv, Caller, Clock, Deps, IdGenerator, Logger, Settings } from './env.js'
export { ApiError } from './errors.js'
export { sha256Hex } from './hash.js'
export { createIdGenerator } from './ids.js'
export { MAX_BODY_BYTES } from './middleware/write-body.js'
export {
  type BucketState,
  decide,
  InMemoryRateLimiter,
  type RateDecision,
  type RateLimitConfig,
  type RateLimiter,
  takeToken,
} from './rate-limit/limiter.js'
export { positiveNumber, readApiSettings, SettingsError } from './settings.js'
