/**
 * Archiving, after a confirmation: the workflow becomes read-only (a banner, Save and every input
 * disabled) and is listed under Archived.
 */
import { describe, expect, it } from 'vitest'
import { seriousViolations } from './axe.js'
import { useBrowser } from './browser.js'
import { focusedName, openWorkflow, palette, settings, signIn, stepList, TITLE } from './console.js'
import { newOrg, target } from './fixtures.js'

describe(`archiving (${target})`, () => {
  const newPage = useBrowser()

  it('asks first, then makes the workflow read-only and lists it under Archived', async () => {
    const { live, api } = await newOrg('e2e archive')
    const workflow = await api.workflows.create({ name: 'To retire', steps: [{ id: 'FACE_LIVENESS' }] })
    const page = await newPage()
    await signIn(page, live)
    await openWorkflow(page, workflow.id)

    // From the keyboard: Enter opens the confirmation; Cancel changes nothing.
    const archive = page.getByRole('button', { name: 'Archive', exact: true })
    await archive.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('alertdialog', { name: 'Archive “To retire”?' })
    await dialog.getByText('This cannot be undone.', { exact: false }).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Cancel' }).press('Enter')
    await dialog.waitFor({ state: 'detached' })
    expect((await api.workflows.retrieve(workflow.id)).status).toBe('active')

    await archive.focus()
    await page.keyboard.press('Enter')
    await dialog.getByRole('button', { name: 'Archive workflow' }).focus()
    expect(await focusedName(page)).toBe('Archive workflow')
    await page.keyboard.press('Enter')
    await page.getByRole('status').getByText('This workflow is archived: it is read-only.').waitFor()
    await page.getByText('archived · version 2').waitFor()
    expect((await api.workflows.retrieve(workflow.id)).status).toBe('archived')

    // Read-only: nothing can change it any more.
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true)
    expect(await page.getByLabel('Workflow name').isDisabled()).toBe(true)
    expect(await archive.count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Open file' }).count()).toBe(0)
    for (const button of await palette(page).getByRole('button').all()) expect(await button.isDisabled()).toBe(true)
    expect(
      await stepList(page)
        .getByRole('button', { name: /^(Move|Remove) / })
        .count(),
    ).toBe(0)
    for (const button of await stepList(page).getByRole('button').all()) expect(await button.isDisabled()).toBe(true) // the drag handle
    const face = settings(page, TITLE.FACE_LIVENESS)
    expect(await face.getByRole('slider', { name: 'Confidence threshold' }).isDisabled()).toBe(true)
    expect(await face.getByRole('textbox', { name: 'Confidence threshold (number)' }).isDisabled()).toBe(true)
    expect(await seriousViolations(page)).toEqual([])

    await page.getByRole('link', { name: 'wf console' }).click()
    const status = page.getByRole('radiogroup', { name: 'Status' })
    await status.getByText('Archived', { exact: true }).click()
    await page.getByRole('link', { name: 'To retire' }).waitFor()
    await status.getByText('Active', { exact: true }).click()
    await page
      .getByText('0 of 0 loaded')
      .or(page.getByRole('heading', { name: 'No workflows yet' }))
      .waitFor()
    expect(await page.getByRole('link', { name: 'To retire' }).count()).toBe(0)
  })
})
