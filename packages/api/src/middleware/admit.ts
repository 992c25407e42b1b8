/**
 * Admission: a request goes ahead once its key is known valid and its rate limit allows it, with
 * the RateLimit-* headers on every admitted response (contract §6), errors included.
 *
 * Both answers may still be in flight when the route starts (a remembered key's check, a shared
 * limiter's decision): the route's reads then run beside them, its writes wait for them
 * (admission/writes-after.ts), and its answer is only sent once both are in. On the edge that makes
 * a read one round trip instead of three. A refusal replaces whatever the route answered:
 * an invalid key is 401 before a refused rate is 429, as if neither had been in flight.
 */
import { createMiddleware } from 'hono/factory'
import { writesAfter } from '../admission/writes-after.js'
import type { AppEnv } from '../env.js'
import { ApiError, discardResponse } from '../errors.js'
import type { RateDecision } from '../rate-limit/limiter.js'

export const admit = createMiddleware<AppEnv>(async (c, next) => {
  const deps = c.get('deps')
  const keyCheck = c.get('keyCheck')
  const taken = deps.rateLimiter.take(c.get('caller').keyId, deps.clock.now().getTime())

  if (keyCheck === undefined && !(taken instanceof Promise)) {
    // Both known now (a key just read, an in-process limiter): nothing to wait for.
    setRateHeaders(c.header, allowedOrThrow(taken))
    return next()
  }
  if (!(taken instanceof Promise) && taken.allowed) {
    // Set before the route runs, so its response is built with them.
    setRateHeaders(c.header, taken)
  }
  const admitted = admission(keyCheck, taken)
  admitted.catch(() => {}) // awaited below; the writes that wait for it report it too
  c.set('deps', { ...deps, store: writesAfter(deps.store, admitted) })
  await next()
  let decision: RateDecision
  try {
    decision = await admitted
  } catch (refusal) {
    discardResponse(c)
    throw refusal
  }
  if (taken instanceof Promise) setRateHeaders((name, value) => c.res.headers.set(name, value), decision)
})

/** The key's validity first: an invalid key is 401 whatever its bucket holds. Both are awaited, so neither goes unobserved. */
async function admission(keyCheck: Promise<boolean> | undefined, taken: RateDecision | Promise<RateDecision>): Promise<RateDecision> {
  const [valid, decision] = await Promise.allSettled([keyCheck ?? true, taken])
  if (valid.status === 'rejected') throw valid.reason
  if (!valid.value) throw new ApiError('unauthorized')
  if (decision.status === 'rejected') throw decision.reason
  return allowedOrThrow(decision.value)
}

function allowedOrThrow(d: RateDecision): RateDecision {
  if (!d.allowed)
    throw new ApiError('rate_limited', undefined, undefined, { ...rateHeaders(d), 'Retry-After': String(d.retryAfterSeconds) })
  return d
}

function rateHeaders(d: RateDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(d.limit),
    'RateLimit-Remaining': String(d.remaining),
    'RateLimit-Reset': String(d.resetSeconds),
  }
}

function setRateHeaders(set: (name: string, value: string) => void, d: RateDecision): void {
  for (const [name, value] of Object.entries(rateHeaders(d))) set(name, value)
}
