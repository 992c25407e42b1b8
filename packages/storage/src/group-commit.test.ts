// better-sqlite3 only: writes that arrive in one event-loop turn share one commit (atomic.ts).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { newOrganization, newWorkflow, nextVersion } from './contract/fixtures.js'
import { openDatabase } from './node.js'

const dir = mkdtempSync(join(tmpdir(), 'wf-group-commit-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function fileDatabase(name: string) {
  const opened = openDatabase(join(dir, name))
  // No automatic checkpoint: the WAL keeps every frame written, so it can be counted.
  opened.sqlite.pragma('wal_autocheckpoint = 0')
  opened.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  const walFrames = () => (opened.sqlite.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log
  return { ...opened, walFrames }
}

describe('group commit on better-sqlite3', () => {
  it('commits the writes of one turn together: far fewer WAL frames than one commit each', async () => {
    const grouped = fileDatabase('grouped.db')
    const single = fileDatabase('single.db')
    try {
      const orgA = await newOrganization(grouped.store)
      const orgB = await newOrganization(single.store)
      const beforeGrouped = grouped.walFrames()
      await Promise.all(Array.from({ length: 40 }, () => grouped.store.insertWorkflow(newWorkflow(orgA.id))))
      const framesGrouped = grouped.walFrames() - beforeGrouped
      const beforeSingle = single.walFrames()
      for (let i = 0; i < 40; i++) await single.store.insertWorkflow(newWorkflow(orgB.id))
      const framesSingle = single.walFrames() - beforeSingle
      // Each commit appends the pages it changed; 40 commits append each page up to 40 times.
      expect(framesGrouped * 4).toBeLessThan(framesSingle)
    } finally {
      grouped.sqlite.close()
      single.sqlite.close()
    }
  })

  it('fails only the write that conflicts; the others of its turn are stored', async () => {
    const { sqlite, store } = openDatabase(':memory:')
    try {
      const org = await newOrganization(store)
      const existing = newWorkflow(org.id)
      await store.insertWorkflow(existing)
      const first = newWorkflow(org.id)
      const last = newWorkflow(org.id)
      const results = await Promise.allSettled([
        store.insertWorkflow(first),
        store.insertWorkflow({ ...newWorkflow(org.id), id: existing.id }), // primary key conflict
        store.updateWorkflow(nextVersion(existing, { name: 'Renamed' }), 1, 'key_x'),
        store.updateWorkflow(nextVersion(existing, { name: 'Lost race' }), 1, 'key_y'), // same turn, same version
        store.insertWorkflow(last),
      ])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'])
      expect(results.slice(2, 4).map((r) => (r as PromiseFulfilledResult<boolean>).value)).toEqual([true, false])
      expect(await store.getWorkflow(org.id, first.id)).toEqual(first)
      expect(await store.getWorkflow(org.id, last.id)).toEqual(last)
      expect(await store.getWorkflow(org.id, existing.id)).toMatchObject({ name: 'Renamed', version: 2 })
      expect((await store.listVersions(org.id, existing.id))?.map((v) => [v.version, v.created_by])).toEqual([
        [2, 'key_x'],
        [1, existing.created_by],
      ])
      expect(sqlite.inTransaction).toBe(false)
    } finally {
      sqlite.close()
    }
  })

  it('acknowledges a write only once it is committed: another connection sees it at once', async () => {
    const path = join(dir, 'visible.db')
    const { sqlite, store } = openDatabase(path)
    const other = new Database(path, { readonly: true })
    try {
      const org = await newOrganization(store)
      const workflows = Array.from({ length: 5 }, () => newWorkflow(org.id))
      const pending = workflows.map((w) => store.insertWorkflow(w))
      // Queued, not yet written: the turn has not ended.
      expect(other.prepare('select count(*) as n from workflows').get()).toEqual({ n: 0 })
      await Promise.all(pending)
      expect(other.prepare('select count(*) as n from workflows').get()).toEqual({ n: 5 })
    } finally {
      other.close()
      sqlite.close()
    }
  })
})
