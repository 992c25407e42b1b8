/** Insert, get and list: newest first, cursors, the status filter, organizations kept apart. */

import type { Workflow } from '@wf/core'
import { describe, expect, it } from 'vitest'
import type { Store } from '../types.js'
import { listSummaries, newOrganization, newWorkflow, summaryOf, uniqueId, versionOf, workflowFromJson } from './fixtures.js'

export function workflowTests(store: () => Store): void {
  async function insertMany(org: string, statuses: Workflow['status'][]): Promise<Workflow[]> {
    const inserted: Workflow[] = []
    for (const status of statuses) {
      const workflow = newWorkflow(org, { status, name: `Workflow ${inserted.length}` })
      expect(await store().insertWorkflow(workflow)).toStrictEqual({ ok: true })
      inserted.push(workflow)
    }
    return inserted
  }

  describe('workflows', () => {
    it('returns an inserted workflow as it was given, with its version 1', async () => {
      const org = await newOrganization(store())
      const workflow = newWorkflow(org.id)
      expect(await store().insertWorkflow(workflow)).toStrictEqual({ ok: true })
      expect(await store().getWorkflow(org.id, workflow.id)).toStrictEqual(workflow)
      expect(await workflowFromJson(store(), org.id, workflow.id)).toStrictEqual(workflow)
      expect(await store().listVersions(org.id, workflow.id)).toStrictEqual([versionOf(workflow, workflow.created_by)])
      expect(await store().getVersion(org.id, workflow.id, 1)).toStrictEqual(versionOf(workflow, workflow.created_by))
    })

    it('returns undefined for an unknown workflow', async () => {
      const org = await newOrganization(store())
      expect(await store().getWorkflow(org.id, uniqueId('wf'))).toBeUndefined()
      expect(await store().getWorkflowJson(org.id, uniqueId('wf'))).toBeUndefined()
      expect(await store().listVersions(org.id, uniqueId('wf'))).toBeUndefined()
      expect(await store().getVersion(org.id, uniqueId('wf'), 1)).toBeUndefined()
    })

    it('refuses a duplicate id and leaves the first workflow alone', async () => {
      const org = await newOrganization(store())
      const [first] = await insertMany(org.id, ['active'])
      const again = { ...first!, name: 'Other' }
      await expect(store().insertWorkflow(again)).rejects.toThrow()
      expect(await store().getWorkflow(org.id, first!.id)).toStrictEqual(first)
      expect(await store().listVersions(org.id, first!.id)).toHaveLength(1)
    })

    it('lists summaries newest first, up to the limit', async () => {
      const org = await newOrganization(store())
      const all = await insertMany(org.id, ['active', 'archived', 'active', 'active'])
      const newestFirst = all.map(summaryOf).reverse()
      expect(await listSummaries(store(), org.id, { limit: 100 })).toStrictEqual(newestFirst)
      expect(await listSummaries(store(), org.id, { limit: 2 })).toStrictEqual(newestFirst.slice(0, 2))
      expect(await listSummaries(store(), uniqueId('org'), { limit: 100 })).toStrictEqual([])
    })

    it('continues strictly before the cursor', async () => {
      const org = await newOrganization(store())
      const ids = (await insertMany(org.id, ['active', 'active', 'active', 'active'])).map((w) => w.id)
      const page = await listSummaries(store(), org.id, { limit: 2, before: ids[2]! })
      expect(page.map((s) => s.id)).toStrictEqual([ids[1], ids[0]])
      expect(await listSummaries(store(), org.id, { limit: 2, before: ids[0]! })).toStrictEqual([])
    })

    it('filters by status, also with a cursor', async () => {
      const org = await newOrganization(store())
      const all = await insertMany(org.id, ['archived', 'active', 'archived', 'active', 'archived'])
      const ids = (status: string) =>
        all
          .filter((w) => w.status === status)
          .map((w) => w.id)
          .reverse()
      const list = async (status: Workflow['status'], before?: string) => {
        const query = before === undefined ? { limit: 100, status } : { limit: 100, status, before }
        return (await listSummaries(store(), org.id, query)).map((s) => s.id)
      }
      expect(await list('archived')).toStrictEqual(ids('archived'))
      expect(await list('active')).toStrictEqual(ids('active'))
      expect(await list('archived', all[2]!.id)).toStrictEqual([all[0]!.id])
    })

    it("never shows another organization's workflows", async () => {
      const [mine, theirs] = [await newOrganization(store()), await newOrganization(store())]
      const [workflow] = await insertMany(theirs.id, ['active'])
      expect(await store().getWorkflow(mine.id, workflow!.id)).toBeUndefined()
      expect(await store().getWorkflowJson(mine.id, workflow!.id)).toBeUndefined()
      expect(await listSummaries(store(), mine.id, { limit: 100 })).toStrictEqual([])
      expect(await listSummaries(store(), mine.id, { limit: 100, status: 'active' })).toStrictEqual([])
      expect(await store().listVersions(mine.id, workflow!.id)).toBeUndefined()
      expect(await store().getVersion(mine.id, workflow!.id, 1)).toBeUndefined()
    })

    it('walks every workflow that existed exactly once while others are created', async () => {
      const org = await newOrganization(store())
      const existing = (await insertMany(org.id, Array(7).fill('active'))).map((w) => w.id)
      const seen: string[] = []
      let before: string | undefined
      for (let page = 0; page < 10; page++) {
        const items = await listSummaries(store(), org.id, before === undefined ? { limit: 3 } : { limit: 3, before })
        seen.push(...items.map((s) => s.id))
        await insertMany(org.id, ['active', 'archived']) // newer than the walk: never returned
        if (items.length < 3) break
        before = items[items.length - 1]!.id
      }
      expect(seen).toStrictEqual([...existing].reverse())
    })
  })
}
