/** Organizations and API keys. */
import { describe, expect, it } from 'vitest'
import type { Store } from '../types.js'
import { at, newApiKey, newOrganization, uniqueId } from './fixtures.js'

export function organizationAndKeyTests(store: () => Store): void {
  describe('organizations', () => {
    it('round-trips an organization', async () => {
      const org = await newOrganization(store())
      expect(await store().getOrganization(org.id)).toStrictEqual(org)
    })

    it('returns undefined for an unknown organization', async () => {
      expect(await store().getOrganization(uniqueId('org'))).toBeUndefined()
    })
  })

  describe('api keys', () => {
    it('finds a key by its hash, without the hash', async () => {
      const org = await newOrganization(store())
      const live = newApiKey(org.id)
      const sandbox = newApiKey(org.id, { mode: 'sandbox', name: null, prefix: 'wf_sandbox_cd34' })
      await store().createApiKey(live, `hash-${live.id}`)
      await store().createApiKey(sandbox, `hash-${sandbox.id}`)
      expect(await store().findApiKeyByHash(`hash-${live.id}`)).toStrictEqual(live)
      expect(await store().findApiKeyByHash(`hash-${sandbox.id}`)).toStrictEqual(sandbox)
      expect(await store().findApiKeyByHash(`hash-${uniqueId('key')}`)).toBeUndefined()
    })

    it('refuses a second key with the same hash', async () => {
      const org = await newOrganization(store())
      const first = newApiKey(org.id)
      await store().createApiKey(first, `hash-${first.id}`)
      await expect(store().createApiKey(newApiKey(org.id), `hash-${first.id}`)).rejects.toThrow()
      expect(await store().findApiKeyByHash(`hash-${first.id}`)).toStrictEqual(first)
    })

    it("lists one organization's keys, oldest first", async () => {
      const [a, b] = [await newOrganization(store()), await newOrganization(store())]
      const keys = [newApiKey(a.id), newApiKey(b.id), newApiKey(a.id)]
      for (const key of keys) await store().createApiKey(key, `hash-${key.id}`)
      expect(await store().listApiKeys(a.id)).toStrictEqual([keys[0], keys[2]])
      expect(await store().listApiKeys(b.id)).toStrictEqual([keys[1]])
      expect(await store().listApiKeys(uniqueId('org'))).toStrictEqual([])
    })

    it('revokes once: a second revoke keeps the first time', async () => {
      const org = await newOrganization(store())
      const key = newApiKey(org.id)
      await store().createApiKey(key, `hash-${key.id}`)
      const revoked = { ...key, revoked_at: at(30) }
      expect(await store().revokeApiKey(key.id, at(30))).toStrictEqual(revoked)
      expect(await store().revokeApiKey(key.id, at(40))).toStrictEqual(revoked)
      // Still found by hash, so that the API can tell "revoked" from "unknown" if it wants to.
      expect(await store().findApiKeyByHash(`hash-${key.id}`)).toStrictEqual(revoked)
      expect(await store().listApiKeys(org.id)).toStrictEqual([revoked])
    })

    it('returns undefined when revoking an unknown key', async () => {
      expect(await store().revokeApiKey(uniqueId('key'), at(30))).toBeUndefined()
    })
  })
}
