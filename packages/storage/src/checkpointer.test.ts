import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BACKSTOP_PAGES, startCheckpointer } from './checkpointer.js'
import { newOrganization, newWorkflow } from './contract/fixtures.js'
import { openDatabase } from './node.js'

const dir = mkdtempSync(join(tmpdir(), 'wf-checkpointer-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const walFrames = (sqlite: ReturnType<typeof openDatabase>['sqlite']) =>
  // A zero-cost look: a PASSIVE checkpoint that copies nothing new reports the WAL's size.
  (sqlite.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log

describe('startCheckpointer', () => {
  it('moves the automatic checkpoint to a backstop and checkpoints from a worker thread', async () => {
    const path = join(dir, 'background.db')
    const { sqlite, store } = openDatabase(path)
    const seen: { log: number; checkpointed: number }[] = []
    const errors: string[] = []
    const checkpointer = startCheckpointer(sqlite, path, 50, { onCheckpoint: (r) => seen.push(r), onError: (e) => errors.push(e) })
    try {
      expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES)
      const org = await newOrganization(store)
      for (let i = 0; i < 20; i++) await store.insertWorkflow(newWorkflow(org.id))
      // Wait for a checkpoint that found the frames written above and copied all of them.
      const deadline = Date.now() + 5000
      while (!seen.some((r) => r.log > 0 && r.checkpointed === r.log) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(errors).toEqual([])
      expect(seen.some((r) => r.log > 0 && r.checkpointed === r.log)).toBe(true)
    } finally {
      await checkpointer.stop()
      sqlite.close()
    }
  })

  it('keeps the WAL from growing when the server itself never checkpoints', async () => {
    const path = join(dir, 'bounded.db')
    const { sqlite, store } = openDatabase(path)
    const checkpointer = startCheckpointer(sqlite, path, 20)
    // Without the worker, nothing would checkpoint below the backstop.
    try {
      const org = await newOrganization(store)
      for (let round = 0; round < 20; round++) {
        await Promise.all(Array.from({ length: 50 }, () => store.insertWorkflow(newWorkflow(org.id))))
        await new Promise((r) => setTimeout(r, 40))
      }
      await new Promise((r) => setTimeout(r, 100))
      await store.insertWorkflow(newWorkflow(org.id)) // a writer after a full checkpoint restarts the WAL
      expect(walFrames(sqlite)).toBeLessThan(200)
    } finally {
      await checkpointer.stop()
      sqlite.close()
    }
  })
})
