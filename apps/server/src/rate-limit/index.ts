/**
 * Rate limits for Node replicas sharing one budget per API key (contract §6): a Redis or a
 * PostgreSQL limiter, wrapped in FallbackRateLimiter so an unreachable store degrades to
 * per-replica limits instead of failing requests.
 */
export { FallbackRateLimiter, type FallbackRateLimiterOptions } from './fallback.js'
export { createPostgresPool, type PostgresPoolOptions, PostgresRateLimiter, type PostgresRateLimiterOptions } from './postgres.js'
export { createRedisClient, type RedisClientOptions, RedisRateLimiter, type RedisRateLimiterOptions } from './redis.js'
