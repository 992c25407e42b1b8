/**
 * A sandbox key reads but cannot write: the read-only banner carries the contract's sentence,
 * "New workflow" is disabled, and an opened workflow cannot be edited, archived or restored.
 */
import { describe, expect, it } from 'vitest'
import { useBrowser } from './browser.js'
import { palette, SANDBOX_SENTENCE, settings, signIn, stepList, TITLE } from './console.js'
import { baseUrl, newOrg, target } from './fixtures.js'

describe(`a sandbox key (${target})`, () => {
  const newPage = useBrowser()

  it('reads everything and changes nothing', async () => {
    const { sandbox, api } = await newOrg('e2e sandbox')
    const workflow = await api.workflows.create({ name: 'Live made', steps: [{ id: 'FACE_LIVENESS' }, { id: 'PEP_SANCTIONS' }] })
    await api.workflows.update(workflow.id, { name: 'Live made, twice' }, { ifVersion: 1 })
    const page = await newPage()
    await signIn(page, sandbox)

    const banner = page.getByRole('status').filter({ hasText: 'Read-only' })
    expect(await banner.textContent()).toBe(`Read-only: ${SANDBOX_SENTENCE}`)
    await page.getByText('Sandbox key', { exact: true }).waitFor()
    expect(await page.getByRole('button', { name: 'New workflow' }).isDisabled()).toBe(true)

    await page.getByRole('link', { name: 'Live made, twice' }).click()
    await page.getByLabel('Workflow name').waitFor()
    await banner.waitFor()
    expect(await page.getByLabel('Workflow name').isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: 'Archive', exact: true }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Open file' }).count()).toBe(0)
    for (const button of await palette(page).getByRole('button').all()) expect(await button.isDisabled()).toBe(true)
    expect(
      await stepList(page)
        .getByRole('button', { name: /^(Move|Remove) / })
        .count(),
    ).toBe(0)
    const face = settings(page, TITLE.FACE_LIVENESS)
    expect(await face.getByRole('slider', { name: 'Confidence threshold' }).isDisabled()).toBe(true)
    expect(await face.getByRole('textbox', { name: 'Confidence threshold (number)' }).isDisabled()).toBe(true)
    // Reading is allowed: the download, the preview, the history.
    await page.getByRole('button', { name: 'Download' }).waitFor()
    await page.getByRole('button', { name: 'History' }).click()
    await page.getByRole('heading', { level: 1, name: 'History of Live made, twice' }).waitFor()
    expect(await page.getByRole('button', { name: /^Restore version/ }).count()).toBe(0)

    // A new workflow, even by its URL, cannot be made.
    await page.goto(`${baseUrl}/console/workflows/new?template=kyc-onboarding`)
    await page.getByLabel('Workflow name').waitFor()
    await banner.waitFor()
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true)
    expect(await page.getByLabel('Workflow name').isDisabled()).toBe(true)
    expect((await api.workflows.list()).data.map((w) => [w.id, w.version])).toEqual([[workflow.id, 2]])
  })
})
