/**
 * The selected step's settings, generated from the catalog (labels, a slider with a number field,
 * toggles, selects); the escalation settings only while fraud analysis is on; an out-of-range value
 * shows core's message beside the field and in the problems summary with its JSON Pointer, and
 * Save waits until it is fixed.
 */
import { ValidationError } from '@wf/client'
import { describe, expect, it } from 'vitest'
import { seriousViolations } from './axe.js'
import { useBrowser } from './browser.js'
import { chooseOption, description, palette, previewText, row, selectStep, settings, signIn, TITLE } from './console.js'
import { newOrg, target } from './fixtures.js'

describe(`a step's settings (${target})`, () => {
  const newPage = useBrowser()

  it('generates the form of the selected step, a slider with a number field, from the keyboard', async () => {
    const { live } = await newOrg('e2e settings')
    const page = await newPage()
    await signIn(page, live)
    await page.getByRole('button', { name: 'New workflow' }).click()
    await page.getByLabel('Workflow name').fill('Settings')
    await palette(page).getByRole('button', { name: TITLE.FACE_LIVENESS, exact: true }).click()

    // Added, and selected: its settings show, the threshold as a slider and a number field.
    const face = settings(page, TITLE.FACE_LIVENESS)
    await face.waitFor()
    expect(await row(page, TITLE.FACE_LIVENESS).getAttribute('aria-selected')).toBe('true')
    const slider = face.getByRole('slider', { name: 'Confidence threshold' })
    const number = face.getByRole('textbox', { name: 'Confidence threshold (number)' })
    expect(await slider.inputValue()).toBe('70') // core's default
    expect(await number.inputValue()).toBe('70')
    await face.getByText('Liveness confidence threshold.').waitFor() // the schema's help text

    await slider.focus()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => number.inputValue()).toBe('71')
    await number.fill('85')
    await number.press('Tab')
    await expect.poll(() => slider.inputValue()).toBe('85')
    expect(JSON.parse(await previewText(page, 'Request JSON'))).toEqual({
      name: 'Settings',
      steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 85 } }],
    })

    // Another step, another form: the age range is a pair of fields, the flags are switches.
    await palette(page).getByRole('button', { name: TITLE.ID_VERIFICATION, exact: true }).click()
    const idv = settings(page, TITLE.ID_VERIFICATION)
    await idv.waitFor()
    const ages = idv.getByRole('group', { name: 'Age range' })
    expect(await ages.getByRole('textbox', { name: 'From' }).inputValue()).toBe('18')
    expect(await ages.getByRole('textbox', { name: 'To' }).inputValue()).toBe('51')
    for (const name of ['Require secondary ID', 'Require tertiary ID', 'Enable fraud analysis']) {
      expect(await idv.getByRole('switch', { name }).isChecked()).toBe(false)
    }
    await selectStep(page, TITLE.FACE_LIVENESS)
    expect(await settings(page, TITLE.FACE_LIVENESS).getByRole('slider', { name: 'Confidence threshold' }).inputValue()).toBe('85')
  })

  it('shows the escalation settings only while fraud analysis is on; an NFC escalation keeps it on', async () => {
    const { live } = await newOrg('e2e escalation')
    const page = await newPage()
    await signIn(page, live)
    await page.getByRole('button', { name: 'New workflow' }).click()
    await page.getByLabel('Workflow name').fill('Escalation')
    await palette(page).getByRole('button', { name: TITLE.ID_VERIFICATION, exact: true }).click()
    const idv = settings(page, TITLE.ID_VERIFICATION)
    const fraud = idv.getByRole('switch', { name: 'Enable fraud analysis' })
    const escalationType = idv.getByRole('button', { name: 'Escalation type' })
    const threshold = idv.getByRole('slider', { name: 'Escalation risk threshold' })

    expect(await fraud.isChecked()).toBe(false)
    expect(await escalationType.count()).toBe(0)

    await fraud.focus()
    await page.keyboard.press('Space')
    await escalationType.waitFor()
    expect(await escalationType.textContent()).toContain('None')
    expect(await threshold.count()).toBe(0) // no escalation chosen: no threshold to set

    await chooseOption(page, 'Escalation type', 'NFC passport scan')
    await threshold.waitFor()
    expect(await threshold.inputValue()).toBe('60')
    // Core forces fraud analysis on while an escalation is set: the switch is on, and cannot be turned off.
    expect(await fraud.isChecked()).toBe(true)
    expect(await fraud.isDisabled()).toBe(true)
    const stored = JSON.parse(await previewText(page, 'As stored'))
    expect(stored.steps[0].config).toMatchObject({
      enable_fraud_analysis: true,
      escalation_type: 'nfc-passport',
      escalation_risk_threshold: 60,
    })

    await chooseOption(page, 'Escalation type', 'None')
    await threshold.waitFor({ state: 'detached' })
    expect(await fraud.isDisabled()).toBe(false)
    await fraud.focus()
    await page.keyboard.press('Space')
    await escalationType.waitFor({ state: 'detached' })
    expect(await fraud.isChecked()).toBe(false)
  })

  it("shows core's message for an out-of-range value beside the field and in the problems, and holds Save until it is fixed", async () => {
    const { live, api } = await newOrg('e2e validation')
    const page = await newPage()
    await signIn(page, live)
    await page.getByRole('button', { name: 'New workflow' }).click()
    await page.getByLabel('Workflow name').fill('Validation')
    await palette(page).getByRole('button', { name: TITLE.FACE_LIVENESS, exact: true }).click()
    const save = page.getByRole('button', { name: 'Save', exact: true })
    expect(await save.isEnabled()).toBe(true)

    // What the API says of the same request: its message and its JSON Pointer.
    const refused = await api.workflows
      .create({ name: 'Validation', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 150 } }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(refused).toBeInstanceOf(ValidationError)
    const [detail] = (refused as ValidationError).details
    expect(detail?.path).toBe('/steps/0/config/confidence_threshold')

    const number = settings(page, TITLE.FACE_LIVENESS).getByRole('textbox', { name: 'Confidence threshold (number)' })
    await number.fill('150')
    await number.press('Tab')
    const problems = page.getByRole('region', { name: '1 problem to fix before saving' })
    await problems.waitFor()
    expect(await problems.getByRole('listitem').allTextContents()).toEqual([
      `${TITLE.FACE_LIVENESS} › Confidence threshold: ${detail?.message} ${detail?.path}`,
    ])
    expect(await number.getAttribute('aria-invalid')).toBe('true')
    expect(await description(number)).toContain(detail?.message)
    expect(await save.isDisabled()).toBe(true)
    expect(await seriousViolations(page)).toEqual([]) // the builder, a step selected, a problem shown

    await number.fill('90')
    await number.press('Tab')
    await page.getByRole('region', { name: 'No problems' }).waitFor()
    expect(await number.getAttribute('aria-invalid')).not.toBe('true')
    expect(await save.isEnabled()).toBe(true)
    expect(await seriousViolations(page)).toEqual([])
  })
})
