/** Scenarios: listAll over 2,500 workflows while another writer creates. */

import { check } from '../check.js'
import type { Scenario } from './context.js'
import { newOrg } from './fixtures.js'

export const BULK = 2_500
const PAGE = 100

export const bulk: Record<string, Scenario> = {
  async 'listAll over 2,500 workflows yields each exactly once while another writer keeps creating'(ctx) {
    const s = await newOrg(ctx, 'listAll 2500')
    // The rate limit is per key: the creates are spread over four keys, the reader and the writer have their own.
    const keys = await Promise.all([1, 2, 3, 4].map((i) => s.newLiveKey(`bulk ${i}`)))
    const creators = keys.map((k) => s.client({ apiKey: k.secret, maxRetries: 8 }).workflows)
    const started = Date.now()
    const created = new Set<string>()
    let next = 0
    await Promise.all(
      Array.from({ length: 16 }, async (_, lane) => {
        for (let i = next++; i < BULK; i = next++) {
          created.add((await creators[lane % creators.length]!.create({ name: `Bulk ${i}`, steps: [{ id: 'PEP_SANCTIONS' }] })).id)
        }
      }),
    )
    const createdMs = Date.now() - started
    check.equal(created.size, BULK, 'distinct workflows created')

    const writer = s.client({ apiKey: (await s.newLiveKey('writer')).secret, maxRetries: 8 }).workflows
    const reader = s.client({ apiKey: (await s.newLiveKey('reader')).secret, maxRetries: 8 }).workflows
    const during = new Set<string>()
    let done = false
    let wake: (() => void) | undefined
    let walkBegan: () => void = () => {}
    const began = new Promise<void>((resolve) => (walkBegan = resolve))
    // The writer starts once the first page is in: everything it creates is newer than the walk's start.
    let writerFailed: { error: unknown } | undefined
    const writing = (async () => {
      await began
      try {
        for (let i = 0; !done; i++) {
          during.add((await writer.create({ name: `During ${i}`, steps: [{ id: 'ADVERSE_MEDIA' }] })).id)
          wake?.()
        }
      } catch (error) {
        writerFailed = { error }
        wake?.()
      }
    })()
    // Interleave by counts: before each page after the first is fetched, the writer has created one more workflow.
    const waitForWriter = async (count: number) => {
      while (during.size < count) {
        if (writerFailed) check.fail('the concurrent writer failed', writerFailed.error)
        await new Promise<void>((resolve) => (wake = resolve))
      }
    }

    const walkStarted = Date.now()
    const seen: string[] = []
    const seenOnce = new Set<string>()
    const twice: string[] = []
    try {
      for await (const w of reader.listAll({ pageSize: PAGE })) {
        if (seenOnce.has(w.id)) twice.push(w.id)
        seen.push(w.id)
        seenOnce.add(w.id)
        if (seen.length === 1) walkBegan()
        // The last item of a full page: the next page is fetched only when the loop asks for more.
        if (seen.length % PAGE === 0) await waitForWriter(seen.length / PAGE)
      }
    } finally {
      done = true
      walkBegan()
      await writing
    }
    const walkMs = Date.now() - walkStarted
    if (writerFailed) check.fail('the concurrent writer failed', writerFailed.error)

    const pages = Math.ceil(seen.length / PAGE)
    check.equal(twice.slice(0, 10), [], 'no id seen twice')
    const missing = [...created].filter((id) => !seenOnce.has(id))
    check.equal(missing.length, 0, `every one of the ${BULK} seen (${missing.slice(0, 5).join(', ')}…)`)
    check.ok(seen.length >= BULK, `at least ${BULK} seen`, seen.length)
    const strangers = seen.filter((id) => !created.has(id) && !during.has(id))
    check.equal(strangers, [], 'nothing but this organization’s workflows')
    // Contract §8: ones created during the walk are newer and are not returned.
    check.equal(
      seen.filter((id) => during.has(id)),
      [],
      'no workflow created during the walk',
    )
    const descending = seen.every((id, i) => i === 0 || seen[i - 1]! > id)
    check.ok(descending, 'newest first across the pages (ids descending)')
    check.ok(during.size >= pages - 1, 'the writer created a workflow between each two pages', { during: during.size, pages })
    ctx.log(
      `listAll ${BULK} (${ctx.target}): created in ${(createdMs / 1000).toFixed(1)} s; walk of ${pages} pages in ` +
        `${(walkMs / 1000).toFixed(1)} s, ${seen.length} seen, ${during.size} created during the walk; ` +
        `total ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
  },
}
