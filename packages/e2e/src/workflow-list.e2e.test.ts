/**
 * The list: each workflow's name, status, steps, version and last update; the Active / Archived /
 * All filter; search by name; and, with no workflow yet, what to do next (the templates).
 */
import { describe, expect, it } from 'vitest'
import { seriousViolations } from './axe.js'
import { useBrowser } from './browser.js'
import { signIn, stepOrder, TITLE } from './console.js'
import { newOrg, target } from './fixtures.js'

describe(`the workflows list (${target})`, () => {
  const newPage = useBrowser()

  it('shows name, status, steps, version and last update; filters by status; searches by name', async () => {
    const { live, api } = await newOrg('e2e list')
    const alpha = await api.workflows.create({ name: 'Alpha onboarding', steps: [{ id: 'ID_VERIFICATION' }] })
    const updated = await api.workflows.update(alpha.id, { steps: [{ id: 'ID_VERIFICATION' }, { id: 'FACE_LIVENESS' }] }, { ifVersion: 1 })
    const beta = await api.workflows.create({ name: 'Beta screening', steps: [{ id: 'PEP_SANCTIONS' }, { id: 'ADVERSE_MEDIA' }] })
    const archived = await api.workflows.archive(
      (await api.workflows.create({ name: 'Gamma retired', steps: [{ id: 'AGE_ESTIMATION' }] })).id,
    )

    const page = await newPage()
    await signIn(page, live)
    const table = page.getByRole('table', { name: 'Workflows, newest first' })
    const rowOf = (name: string) => table.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) })
    const cells = async (name: string) => (await rowOf(name).getByRole('cell').allInnerTexts()).map((t) => t.trim())
    const names = async () => (await table.getByRole('link').allInnerTexts()).map((t) => t.trim())
    const count = page.getByText(/^\d+ of \d+ loaded/)

    await rowOf('Alpha onboarding').waitFor()
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['Name', 'Status', 'Steps', 'Version', 'Last update'])
    // Active by default, newest first.
    expect(await names()).toEqual(['Beta screening', 'Alpha onboarding'])
    const when = await page.evaluate((iso) => new Date(iso).toLocaleString(), updated.updated_at)
    expect(await cells('Alpha onboarding')).toEqual([
      'Alpha onboarding',
      'active',
      `${TITLE.ID_VERIFICATION} → ${TITLE.FACE_LIVENESS}`,
      '2',
      when,
    ])
    expect(await rowOf('Alpha onboarding').getByRole('time').getAttribute('datetime')).toBe(updated.updated_at)
    expect((await cells('Beta screening')).slice(0, 4)).toEqual([
      'Beta screening',
      'active',
      `${TITLE.PEP_SANCTIONS} → ${TITLE.ADVERSE_MEDIA}`,
      '1',
    ])
    expect(await count.textContent()).toBe('2 of 2 loaded')
    expect(await seriousViolations(page)).toEqual([])

    // The status filter is a radio group: arrows move the choice.
    const status = page.getByRole('radiogroup', { name: 'Status' })
    await status.getByRole('radio', { name: 'Active' }).focus()
    await page.keyboard.press('ArrowRight')
    expect(await status.getByRole('radio', { name: 'Archived' }).isChecked()).toBe(true)
    await expect.poll(names).toEqual(['Gamma retired'])
    expect((await cells('Gamma retired')).slice(0, 4)).toEqual([
      'Gamma retired',
      'archived',
      TITLE.AGE_ESTIMATION,
      String(archived.version),
    ])
    await page.keyboard.press('ArrowRight')
    expect(await status.getByRole('radio', { name: 'All' }).isChecked()).toBe(true)
    await expect.poll(names).toEqual(['Gamma retired', 'Beta screening', 'Alpha onboarding'])

    const search = page.getByRole('searchbox', { name: 'Search by name' })
    await search.fill('ONBOARD')
    await expect.poll(names).toEqual(['Alpha onboarding'])
    expect(await count.textContent()).toBe('1 of 3 loaded')
    await search.press('Escape') // clears the search
    await expect.poll(names).toEqual(['Gamma retired', 'Beta screening', 'Alpha onboarding'])

    // A row opens its workflow.
    await page.getByRole('link', { name: 'Beta screening' }).click()
    await page.waitForURL(new RegExp(`/console/workflows/${beta.id}$`))
    await expect.poll(() => stepOrder(page)).toEqual([TITLE.PEP_SANCTIONS, TITLE.ADVERSE_MEDIA])
  })

  it('says what to do next when there is no workflow yet: the templates, or from scratch', async () => {
    const { live } = await newOrg('e2e empty')
    const page = await newPage()
    await signIn(page, live)
    await page.getByRole('heading', { name: 'No workflows yet' }).waitFor()
    await page.getByText('Start from a template, or from scratch:').waitFor()
    const templates = page.getByRole('list').filter({ has: page.getByRole('button', { name: 'KYC onboarding' }) })
    expect(await templates.getByRole('button').allInnerTexts()).toEqual([
      'KYC onboarding',
      'Age-gated access',
      'Screening only',
      'Start from scratch',
    ])
    expect(await seriousViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Age-gated access' }).click()
    await page.waitForURL(/\/console\/workflows\/new\?template=age-gated$/)
    expect(await page.getByLabel('Workflow name').inputValue()).toBe('Age-gated access')
    expect(await stepOrder(page)).toEqual([TITLE.FACE_LIVENESS, TITLE.AGE_ESTIMATION])
  })
})
