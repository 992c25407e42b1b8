/**
 * The store as a request's route sees it while the request is not yet admitted (its key's check
 * and its rate-limit decision still in flight): reads go straight through, so they run beside the
 * admission; every write waits for it, and is never made when the request is refused.
 */
import { STORE_METHODS, STORE_WRITES, type Store } from '@wf/storage'

type AnyMethod = (...args: unknown[]) => Promise<unknown>

const WRITES = new Set(STORE_WRITES)

export function writesAfter(store: Store, admitted: Promise<unknown>): Store {
  const methods = store as unknown as Record<string, AnyMethod>
  const gated: Record<string, AnyMethod> = {}
  for (const name of STORE_METHODS) {
    gated[name] = WRITES.has(name)
      ? async (...args) => {
          await admitted // a refusal rejects here: the write is not made
          return methods[name]!(...args)
        }
      : (...args) => methods[name]!(...args)
  }
  return gated as unknown as Store
}
