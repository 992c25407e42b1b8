/** What the shared limiters refuse up front (the decision itself is @wf/api's `decide`). */
import type { RateLimitConfig } from '@wf/api'

/** A shared store would keep a bucket that can never refill, or divide by zero: refused up front. */
export function assertConfig({ rps, burst }: RateLimitConfig): void {
  if (!(Number.isFinite(rps) && rps > 0)) throw new RangeError(`rps must be a number > 0, got ${rps}`)
  if (!(Number.isFinite(burst) && burst > 0)) throw new RangeError(`burst must be a number > 0, got ${burst}`)
}
