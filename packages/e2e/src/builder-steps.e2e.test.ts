/**
 * Building: from a template and from "New workflow"; adding steps by clicking their palette button
 * and by dragging it onto the list; reordering with the "Move … down" buttons and with the drag
 * handle from the keyboard; removing.
 */
import { describe, expect, it } from 'vitest'
import { useBrowser } from './browser.js'
import { focusedName, focusInRow, palette, row, signIn, stepList, stepOrder, TITLE } from './console.js'
import { newOrg, target } from './fixtures.js'

describe(`building a workflow's steps (${target})`, () => {
  const newPage = useBrowser()

  it('starts from a template, or from "New workflow" with nothing', async () => {
    const { live } = await newOrg('e2e templates')
    const page = await newPage()
    await signIn(page, live)
    await page.getByRole('button', { name: 'KYC onboarding' }).click()
    await page.waitForURL(/\/console\/workflows\/new\?template=kyc-onboarding$/)
    await page.getByRole('heading', { level: 1, name: 'New workflow' }).waitFor()
    expect(await page.getByLabel('Workflow name').inputValue()).toBe('KYC onboarding')
    expect(await stepOrder(page)).toEqual([TITLE.ID_VERIFICATION, TITLE.FACE_LIVENESS, TITLE.PEP_SANCTIONS, TITLE.ADVERSE_MEDIA])
    // The palette offers only what the workflow has not got yet: each step at most once.
    expect(await palette(page).getByRole('button').allTextContents()).toEqual([TITLE.AGE_ESTIMATION])

    await page.goBack()
    await page.getByRole('button', { name: 'New workflow' }).click()
    await page.waitForURL(/\/console\/workflows\/new$/)
    expect(await page.getByLabel('Workflow name').inputValue()).toBe('')
    expect(await stepOrder(page)).toEqual([])
    await stepList(page).getByText('No steps yet: add one from the palette, or drag it here.').waitFor()
    await page.getByText('Select a step to see its settings.').waitFor()
    expect(await palette(page).getByRole('button').allTextContents()).toEqual(Object.values(TITLE))
  })

  it('adds a step by clicking it and by dragging it from the palette, moves steps with the keyboard, removes one', async () => {
    const { live } = await newOrg('e2e steps')
    const page = await newPage()
    await signIn(page, live)
    await page.getByRole('button', { name: 'New workflow' }).click()

    await palette(page).getByRole('button', { name: TITLE.FACE_LIVENESS, exact: true }).click()
    expect(await stepOrder(page)).toEqual([TITLE.FACE_LIVENESS])
    expect(await palette(page).getByRole('button', { name: TITLE.FACE_LIVENESS, exact: true }).count()).toBe(0)

    // Dragged from the palette onto the lower half of a step: inserted after it; upper half: before it.
    const face = row(page, TITLE.FACE_LIVENESS)
    const box = (await face.boundingBox())!
    await palette(page)
      .getByRole('button', { name: TITLE.PEP_SANCTIONS, exact: true })
      .dragTo(face, { targetPosition: { x: box.width / 2, y: box.height - 4 } })
    await expect.poll(() => stepOrder(page)).toEqual([TITLE.FACE_LIVENESS, TITLE.PEP_SANCTIONS])
    await palette(page)
      .getByRole('button', { name: TITLE.ID_VERIFICATION, exact: true })
      .dragTo(face, { targetPosition: { x: box.width / 2, y: 4 } })
    await expect.poll(() => stepOrder(page)).toEqual([TITLE.ID_VERIFICATION, TITLE.FACE_LIVENESS, TITLE.PEP_SANCTIONS])

    // "Move … down" from the keyboard: into the row, arrow to the button, Enter.
    await focusInRow(page, TITLE.ID_VERIFICATION, `Move ${TITLE.ID_VERIFICATION} down`)
    await page.keyboard.press('Enter')
    await expect.poll(() => stepOrder(page)).toEqual([TITLE.FACE_LIVENESS, TITLE.ID_VERIFICATION, TITLE.PEP_SANCTIONS])
    await focusInRow(page, TITLE.PEP_SANCTIONS, `Move ${TITLE.PEP_SANCTIONS} up`)
    await page.keyboard.press('Enter')
    await expect.poll(() => stepOrder(page)).toEqual([TITLE.FACE_LIVENESS, TITLE.PEP_SANCTIONS, TITLE.ID_VERIFICATION])
    // The first step cannot move up, the last cannot move down.
    expect(await page.getByRole('button', { name: `Move ${TITLE.FACE_LIVENESS} up` }).isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: `Move ${TITLE.ID_VERIFICATION} down` }).isDisabled()).toBe(true)

    await focusInRow(page, TITLE.PEP_SANCTIONS, `Remove ${TITLE.PEP_SANCTIONS}`)
    await page.keyboard.press('Enter')
    await expect.poll(() => stepOrder(page)).toEqual([TITLE.FACE_LIVENESS, TITLE.ID_VERIFICATION])
    await palette(page).getByRole('button', { name: TITLE.PEP_SANCTIONS, exact: true }).waitFor()
  })

  it('reorders with the drag handle from the keyboard (Enter, ArrowDown, Enter) and by dragging a step with the mouse', async () => {
    const { live } = await newOrg('e2e drag reorder')
    const page = await newPage()
    await signIn(page, live)
    await page.getByRole('button', { name: 'New workflow' }).click()
    for (const title of [TITLE.FACE_LIVENESS, TITLE.AGE_ESTIMATION, TITLE.PEP_SANCTIONS]) {
      await palette(page).getByRole('button', { name: title, exact: true }).click()
    }
    expect(await stepOrder(page)).toEqual([TITLE.FACE_LIVENESS, TITLE.AGE_ESTIMATION, TITLE.PEP_SANCTIONS])

    // react-aria's keyboard drag and drop: Enter on the handle starts it and focuses the first drop
    // position; ArrowDown goes to the next one; Enter drops there.
    await focusInRow(page, TITLE.FACE_LIVENESS, `Drag ${TITLE.FACE_LIVENESS}`)
    await page.keyboard.press('Enter')
    await expect
      .poll(() => focusedName(page), {
        timeout: 3000,
        message: 'Enter on the drag handle starts a keyboard drag, on the first drop position',
      })
      .toBe(`Insert between ${TITLE.FACE_LIVENESS} and ${TITLE.AGE_ESTIMATION}`)
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => focusedName(page)).toBe(`Insert between ${TITLE.AGE_ESTIMATION} and ${TITLE.PEP_SANCTIONS}`)
    await page.keyboard.press('Enter')
    await expect.poll(() => stepOrder(page)).toEqual([TITLE.AGE_ESTIMATION, TITLE.FACE_LIVENESS, TITLE.PEP_SANCTIONS])

    // With the mouse, the row itself is dragged (react-aria leaves the handle to the keyboard).
    const pep = row(page, TITLE.PEP_SANCTIONS)
    await row(page, TITLE.AGE_ESTIMATION).dragTo(pep, { targetPosition: { x: 20, y: ((await pep.boundingBox())?.height ?? 40) - 4 } })
    await expect.poll(() => stepOrder(page)).toEqual([TITLE.FACE_LIVENESS, TITLE.PEP_SANCTIONS, TITLE.AGE_ESTIMATION])
  })
})
