/**
 * Saving against a workflow someone else changed meanwhile: If-Match at the version opened gets a
 * 412, and the dialog shows both versions; "Overwrite with mine" saves over theirs, "Reload their
 * version" discards the edit and shows theirs, "Keep editing" keeps the edit. Never lost silently.
 */
import { describe, expect, it } from 'vitest'
import { seriousViolations } from './axe.js'
import { useBrowser } from './browser.js'
import { openWorkflow, palette, signIn, stepOrder, TITLE } from './console.js'
import { newOrg, target } from './fixtures.js'

describe(`an edit conflict (${target})`, () => {
  const newPage = useBrowser()

  async function conflicted(name: string) {
    const org = await newOrg(name)
    const mine = await org.api.workflows.create({ name: 'Original', steps: [{ id: 'ID_VERIFICATION' }] })
    const page = await newPage()
    await signIn(page, org.live)
    await openWorkflow(page, mine.id)
    // Meanwhile, through the API: version 2.
    await org.api.workflows.update(
      mine.id,
      { name: 'Theirs', steps: [{ id: 'ID_VERIFICATION' }, { id: 'PEP_SANCTIONS' }] },
      { ifVersion: 1 },
    )
    await page.getByLabel('Workflow name').fill('Mine')
    await palette(page).getByRole('button', { name: TITLE.FACE_LIVENESS, exact: true }).click()
    const save = page.getByRole('button', { name: 'Save', exact: true })
    const refused = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.status() === 412)
    await save.click()
    await refused
    const dialog = page.getByRole('alertdialog', { name: 'Someone else saved this workflow' })
    await dialog.waitFor()
    return { ...org, id: mine.id, page, dialog, save }
  }

  it('shows both versions, and "Overwrite with mine" saves mine over theirs', async () => {
    const { page, dialog, api, id } = await conflicted('e2e overwrite')
    await dialog.getByText('It is now at version 2').waitFor()
    const yours = JSON.parse((await dialog.getByRole('figure', { name: 'Your version' }).getByRole('code').textContent())!)
    const theirs = JSON.parse((await dialog.getByRole('figure', { name: 'Saved version 2' }).getByRole('code').textContent())!)
    expect(yours.name).toBe('Mine')
    expect(yours.steps.map((s: { id: string }) => s.id)).toEqual(['ID_VERIFICATION', 'FACE_LIVENESS'])
    expect(theirs.name).toBe('Theirs')
    expect(theirs.steps.map((s: { id: string }) => s.id)).toEqual(['ID_VERIFICATION', 'PEP_SANCTIONS'])
    expect(await seriousViolations(page)).toEqual([])

    const sent = page.waitForRequest((r) => r.method() === 'PATCH' && r.headers()['if-match'] === '"2"')
    await dialog.getByRole('button', { name: 'Overwrite with mine' }).click()
    await sent
    await page.getByRole('status').getByText('Saved: version 3.').waitFor()
    await dialog.waitFor({ state: 'detached' })

    const stored = await api.workflows.retrieve(id)
    expect(stored.version).toBe(3) // opened at 1, theirs 2, mine 3
    expect(stored.name).toBe('Mine')
    expect(stored.steps.map((s) => s.id)).toEqual(['ID_VERIFICATION', 'FACE_LIVENESS'])
    expect((await api.workflows.versions(id)).map((v) => v.name)).toEqual(['Mine', 'Theirs', 'Original'])
  })

  it('"Keep editing" keeps the edit; "Reload their version" discards it and shows theirs', async () => {
    const { page, dialog, api, id, save } = await conflicted('e2e reload')
    // Escape is "Keep editing" too: the dialog closes, the edit is all there.
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await page.getByLabel('Workflow name').inputValue()).toBe('Mine')
    expect(await stepOrder(page)).toEqual([TITLE.ID_VERIFICATION, TITLE.FACE_LIVENESS])

    await save.click()
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Keep editing' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(await page.getByLabel('Workflow name').inputValue()).toBe('Mine')

    await save.click()
    await dialog.getByRole('button', { name: 'Reload their version' }).click()
    await page.getByRole('status').getByText('Reloaded version 2; your edit was discarded.').waitFor()
    expect(await page.getByLabel('Workflow name').inputValue()).toBe('Theirs')
    expect(await stepOrder(page)).toEqual([TITLE.ID_VERIFICATION, TITLE.PEP_SANCTIONS])
    await page.getByText('active · version 2').waitFor()
    expect(await save.isDisabled()).toBe(true) // nothing to save: what is shown is what is stored

    const stored = await api.workflows.retrieve(id)
    expect(stored).toMatchObject({ version: 2, name: 'Theirs' })
  })
})
