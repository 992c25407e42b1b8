/** What a process remembers of keys (key-identities.ts): only valid keys, within its bound, never trusted for validity. */
import type { ApiKey, Store } from '@wf/storage'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { KeyIdentities } from './key-identities.js'

/** A store of keys only, counting its lookups. */
function keyStore(keys: Record<string, ApiKey>) {
  const store = {
    lookups: 0,
    async findApiKeyByHash(hash: string) {
      store.lookups++
      return keys[hash]
    },
  }
  return store
}
const asStore = (s: ReturnType<typeof keyStore>) => s as unknown as Store

function key(id: string, organization_id = 'org_a', revoked_at: string | null = null): ApiKey {
  return {
    id,
    organization_id,
    mode: 'live',
    name: null,
    prefix: 'wf_live_xxxx',
    created_at: '2026-11-01T00:00:00.000Z',
    revoked_at,
  } as ApiKey
}

describe('KeyIdentities', () => {
  it('reads a key not seen before, then knows it at once and checks it beside the route', async () => {
    const s = keyStore({ h1: key('k1') })
    const keys = new KeyIdentities()
    const first = await keys.identify(asStore(s), 'h1')
    expect(first).toStrictEqual({ caller: { keyId: 'k1', organizationId: 'org_a', mode: 'live' }, check: undefined })
    expect(s.lookups).toBe(1)
    const second = await keys.identify(asStore(s), 'h1')
    expect(second?.caller).toStrictEqual(first?.caller)
    expect(await second?.check).toBe(true)
    expect(s.lookups).toBe(2) // the check is a read of the key, every time
  })

  it('does not remember an unknown or a revoked key', async () => {
    const s = keyStore({ revoked: key('k2', 'org_a', '2026-11-02T00:00:00.000Z') })
    const keys = new KeyIdentities()
    expect(await keys.identify(asStore(s), 'unknown')).toBeUndefined()
    expect(await keys.identify(asStore(s), 'revoked')).toBeUndefined()
    expect(keys.size).toBe(0)
  })

  it('fails the check of a remembered key that is revoked, removed or another key now, and forgets it', async () => {
    for (const now of [key('k1', 'org_a', '2026-11-03T00:00:00.000Z'), undefined, key('k9'), key('k1', 'org_b')]) {
      const rows: Record<string, ApiKey> = { h1: key('k1') }
      const s = keyStore(rows)
      const keys = new KeyIdentities()
      await keys.identify(asStore(s), 'h1')
      if (now === undefined) delete rows.h1
      else rows.h1 = now
      expect(await (await keys.identify(asStore(s), 'h1'))?.check).toBe(false)
      expect(keys.size).toBe(0)
    }
  })

  it('remembers at most maxKeys, forgetting the least recently used', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 40 }), async (max, uses) => {
        const rows = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`h${i}`, key(`k${i}`)]))
        const s = keyStore(rows)
        const keys = new KeyIdentities({ maxKeys: max })
        const recent: number[] = []
        for (const i of uses) {
          const lookupsBefore = s.lookups
          const found = await keys.identify(asStore(s), `h${i}`)
          await found?.check
          // Remembered exactly when among the `max` most recently used distinct keys.
          const wasRecent = recent.slice(-max).includes(i)
          expect(found?.check === undefined).toBe(!wasRecent)
          expect(s.lookups).toBe(lookupsBefore + 1)
          // `recent`: the distinct keys used so far, the most recent last.
          const at = recent.indexOf(i)
          if (at >= 0) recent.splice(at, 1)
          recent.push(i)
          expect(keys.size).toBeLessThanOrEqual(max)
        }
      }),
    )
  })
})
