/**
 * Admission: a request goes ahead once its key is known valid and its rate limit allows it, with
 * the RateLimit-* headers on every admitted response (contract §6), errors included.
 *
 * With `Deps.admission` 'overlapped' (the edge) both answers may still be in flight when the route
 * starts (a remembered key's check, the Durable Object's decision): the route's reads then run
 * beside them, its writes wait for them (admission/writes-after.ts), and its answer is only sent
 * once both are in. That makes a read one round trip instead of three. 'sequential' (Node) admits
 * before the route starts, as before. A refusal replaces whatever the route answered:
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

  // Both answers in hand (a key just read, an in-process limiter): nothing to await.
  const known = keyCheck === undefined && !(taken instanceof Promise)
  if (known || deps.admission === 'sequential') {
    // Admitted before the route starts: the Node server's store and limiter answer within a
    // millisecond, and overlapping them costs more work than the wait it saves (BENCHMARKS.md).
    setRateHeaders(c.header, known ? allowedOrThrow(taken) : await admission(keyCheck, taken))
    return next()
  }
  // The headers go on before the route builds its answer whenever the decision is in by then (an
  // in-process limiter: at once; a shared one: usually during the route's read). Reopening a built
  // answer costs more: on Node it turns the server's light response into a full one.
  let headersSet = false
  const setEarly = (d: RateDecision) => {
    if (d.allowed && !c.finalized) {
      setRateHeaders(c.header, d)
      headersSet = true
    }
  }
  if (taken instanceof Promise) taken.then(setEarly, () => {})
  else setEarly(taken)
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
  if (!headersSet) setRateHeaders((name, value) => c.res.headers.set(name, value), decision)
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
