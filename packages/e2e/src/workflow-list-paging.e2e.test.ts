/** Paging past 1,000: 1,005 workflows, loaded a page at a time with "Load more" until none is left. */
import { describe, expect, it } from 'vitest'
import { useBrowser } from './browser.js'
import { inParallel, signIn } from './console.js'
import { newOrg, target } from './fixtures.js'

const TOTAL = 1005

describe(`paging the list (${target})`, () => {
  const newPage = useBrowser()

  it(`loads all ${TOTAL} workflows with "Load more", newest first, each once`, { timeout: 180_000 }, async () => {
    const { live, api } = await newOrg('e2e paging')
    const name = (i: number) => `Seed ${String(i).padStart(4, '0')}`
    await inParallel(TOTAL, 16, (i) => api.workflows.create({ name: name(i), steps: [{ id: 'PEP_SANCTIONS' }] }))

    const page = await newPage()
    await signIn(page, live)
    const table = page.getByRole('table', { name: 'Workflows, newest first' })
    const count = page.getByText(/^\d+ of \d+ loaded/)
    const loadMore = page.getByRole('button', { name: 'Load more' })
    await count.waitFor()
    expect(await count.textContent()).toBe('100 of 100 loaded; more on the server')

    for (let loaded = 100; loaded < TOTAL; ) {
      await loadMore.click()
      loaded = Math.min(loaded + 100, TOTAL)
      const more = loaded < TOTAL ? '; more on the server' : ''
      await page.getByText(`${loaded} of ${loaded} loaded${more}`, { exact: true }).waitFor()
    }
    expect(await loadMore.count()).toBe(0)
    expect(await table.getByRole('row').count()).toBe(TOTAL + 1) // and the header

    // Newest first, each exactly once: the names are every seed, each once.
    const names = (await table.getByRole('link').allInnerTexts()).map((t) => t.trim())
    expect(new Set(names).size).toBe(TOTAL)
    expect([...names].sort()).toEqual(Array.from({ length: TOTAL }, (_, i) => name(i)))
    const listed = []
    for await (const w of api.workflows.listAll({ pageSize: 1000 })) listed.push(w.name)
    expect(names).toEqual(listed)

    await page.getByRole('searchbox', { name: 'Search by name' }).fill('Seed 0007')
    await page.getByText(`1 of ${TOTAL} loaded`, { exact: true }).waitFor()
    expect(await table.getByRole('link').allInnerTexts()).toEqual(['Seed 0007'])
  })
})
