/** Idempotency records: written with the workflow, a live key blocks, an expired one is replaced. */
import { describe, expect, it } from 'vitest'
import type { Store } from '../types.js'
import { at, listSummaries, newIdempotencyRecord, newOrganization, newWorkflow, summaryOf, uniqueId } from './fixtures.js'

export function idempotencyTests(store: () => Store): void {
  describe('idempotency', () => {
    it('writes the record in the same write as the workflow', async () => {
      const org = await newOrganization(store())
      const workflow = newWorkflow(org.id)
      const record = newIdempotencyRecord(org.id, 'retry-me', at(5))
      const result = await store().insertWorkflow(workflow, { record, expiredBefore: at(0) })
      expect(result).toStrictEqual({ ok: true })
      expect(await store().getWorkflow(org.id, workflow.id)).toStrictEqual(workflow)
      expect(await store().findIdempotencyRecord(org.id, 'retry-me', at(0))).toStrictEqual(record)
    })

    it('refuses a live key and writes nothing: no workflow, no version, the first record kept', async () => {
      const org = await newOrganization(store())
      const first = newWorkflow(org.id)
      const record = newIdempotencyRecord(org.id, 'k', at(5))
      await store().insertWorkflow(first, { record, expiredBefore: at(0) })

      const second = newWorkflow(org.id)
      const other = newIdempotencyRecord(org.id, 'k', at(6))
      const result = await store().insertWorkflow(second, { record: other, expiredBefore: at(1) })
      expect(result).toStrictEqual({ ok: false, reason: 'idempotency_key_taken' })
      expect(await store().getWorkflow(org.id, second.id)).toBeUndefined()
      expect(await store().listVersions(org.id, second.id)).toBeUndefined()
      expect(await listSummaries(store(), org.id, { limit: 100 })).toStrictEqual([summaryOf(first)])
      expect(await store().findIdempotencyRecord(org.id, 'k', at(0))).toStrictEqual(record)
    })

    it('replaces a record created before expiredBefore', async () => {
      const org = await newOrganization(store())
      const stale = newIdempotencyRecord(org.id, 'k', at(5))
      await store().insertWorkflow(newWorkflow(org.id), { record: stale, expiredBefore: at(0) })
      const second = newWorkflow(org.id)
      const fresh = newIdempotencyRecord(org.id, 'k', at(30))
      const result = await store().insertWorkflow(second, { record: fresh, expiredBefore: at(6) })
      expect(result).toStrictEqual({ ok: true })
      expect(await store().getWorkflow(org.id, second.id)).toStrictEqual(second)
      expect(await store().findIdempotencyRecord(org.id, 'k', at(0))).toStrictEqual(fresh)
    })

    it('scopes keys to the organization', async () => {
      const [a, b] = [await newOrganization(store()), await newOrganization(store())]
      const ra = newIdempotencyRecord(a.id, 'shared', at(5))
      const rb = newIdempotencyRecord(b.id, 'shared', at(5))
      for (const record of [ra, rb]) {
        const result = await store().insertWorkflow(newWorkflow(record.organization_id), { record, expiredBefore: at(0) })
        expect(result).toStrictEqual({ ok: true })
      }
      expect(await store().findIdempotencyRecord(a.id, 'shared', at(0))).toStrictEqual(ra)
      expect(await store().findIdempotencyRecord(b.id, 'shared', at(0))).toStrictEqual(rb)
    })

    it('finds a record only if it was created at or after notBefore', async () => {
      const org = await newOrganization(store())
      const record = newIdempotencyRecord(org.id, 'k', at(5))
      await store().insertWorkflow(newWorkflow(org.id), { record, expiredBefore: at(0) })
      expect(await store().findIdempotencyRecord(org.id, 'k', at(5))).toStrictEqual(record)
      expect(await store().findIdempotencyRecord(org.id, 'k', at(6))).toBeUndefined()
      expect(await store().findIdempotencyRecord(org.id, 'other', at(0))).toBeUndefined()
      expect(await store().findIdempotencyRecord(uniqueId('org'), 'k', at(0))).toBeUndefined()
    })
  })
}
