/** updateWorkflow: the version bump, the immutable history, and optimistic concurrency. */

import type { Workflow } from '@wf/core'
import { describe, expect, it } from 'vitest'
import type { Store } from '../types.js'
import { newOrganization, newWorkflow, nextVersion, STEPS, uniqueId, versionOf } from './fixtures.js'

export function updateTests(store: () => Store): void {
  async function inserted(): Promise<Workflow> {
    const org = await newOrganization(store())
    const workflow = newWorkflow(org.id)
    expect(await store().insertWorkflow(workflow)).toStrictEqual({ ok: true })
    return workflow
  }

  /** The workflow and its whole history, to show that a refused write changed nothing. */
  async function snapshot(w: Workflow) {
    return {
      workflow: await store().getWorkflow(w.organization_id, w.id),
      versions: await store().listVersions(w.organization_id, w.id),
    }
  }

  describe('updates and versions', () => {
    it('bumps the version and appends one immutable version row per write', async () => {
      const v1 = await inserted()
      const v2 = nextVersion(v1, { name: 'Renamed', steps: [STEPS[1]!] })
      expect(await store().updateWorkflow(v2, 1, 'key_editor')).toBe(true)
      expect(await store().getWorkflow(v1.organization_id, v1.id)).toStrictEqual(v2)

      const v3 = nextVersion(v2, { status: 'archived' })
      expect(await store().updateWorkflow(v3, 2, 'key_archivist')).toBe(true)
      expect(await store().getWorkflow(v1.organization_id, v1.id)).toStrictEqual(v3)
      const history = [versionOf(v3, 'key_archivist'), versionOf(v2, 'key_editor'), versionOf(v1, v1.created_by)]
      expect(await store().listVersions(v1.organization_id, v1.id)).toStrictEqual(history)
      expect(await store().getVersion(v1.organization_id, v1.id, 1)).toStrictEqual(history[2])
      expect(await store().getVersion(v1.organization_id, v1.id, 2)).toStrictEqual(history[1])
      expect(await store().getVersion(v1.organization_id, v1.id, 4)).toBeUndefined()
    })

    it('refuses a stale expectedVersion and changes nothing', async () => {
      const v1 = await inserted()
      expect(await store().updateWorkflow(nextVersion(v1, { name: 'First' }), 1, 'key_a')).toBe(true)
      const before = await snapshot(v1)
      // Behind the stored version (a lost update), then ahead of it.
      expect(await store().updateWorkflow(nextVersion(v1, { name: 'Stale' }), 1, 'key_b')).toBe(false)
      const ahead = { ...v1, version: 6, name: 'Ahead' }
      expect(await store().updateWorkflow(ahead, 5, 'key_b')).toBe(false)
      expect(await snapshot(v1)).toStrictEqual(before)
    })

    it('refuses to update a workflow of another organization, or an unknown one', async () => {
      const v1 = await inserted()
      const before = await snapshot(v1)
      const other = await newOrganization(store())
      const foreign = nextVersion({ ...v1, organization_id: other.id }, { name: 'Hijacked' })
      expect(await store().updateWorkflow(foreign, 1, 'key_b')).toBe(false)
      expect(await snapshot(v1)).toStrictEqual(before)
      expect(await store().listVersions(other.id, v1.id)).toBeUndefined()

      const unknown = nextVersion({ ...v1, id: uniqueId('wf') })
      expect(await store().updateWorkflow(unknown, 1, 'key_b')).toBe(false)
      expect(await store().listVersions(v1.organization_id, unknown.id)).toBeUndefined()
    })

    it('lets exactly one of two concurrent updates from the same version win', async () => {
      let current = await inserted()
      for (let round = 0; round < 3; round++) {
        const a = nextVersion(current, { name: `A${round}` })
        const b = nextVersion(current, { name: `B${round}`, status: 'archived' })
        const results = await Promise.all([
          store().updateWorkflow(a, current.version, 'key_a'),
          store().updateWorkflow(b, current.version, 'key_b'),
        ])
        expect([...results].sort()).toStrictEqual([false, true])
        const [winner, writer] = results[0] ? [a, 'key_a'] : [b, 'key_b']
        expect(await store().getWorkflow(current.organization_id, current.id)).toStrictEqual(winner)
        const versions = await store().listVersions(current.organization_id, current.id)
        expect(versions).toHaveLength(winner.version)
        expect(versions?.[0]).toStrictEqual(versionOf(winner, writer))
        current = winner
      }
    })
  })
}
