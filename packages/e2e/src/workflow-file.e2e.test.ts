/**
 * A workflow as a file: "Download" saves the create request; "Open file" reads one into the
 * builder; a file that is no workflow, or breaks a rule, shows its problems.
 */
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowser } from './browser.js'
import { settings, signIn, stepOrder, TITLE } from './console.js'
import { newOrg, target } from './fixtures.js'

async function openFile(page: Page, name: string, content: string) {
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Open file' }).click()
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) })
}

describe(`workflow files (${target})`, () => {
  const newPage = useBrowser()

  it('downloads the create request as a file, and opens a file into the builder', async () => {
    const { live, api } = await newOrg('e2e files')
    const page = await newPage()
    await signIn(page, live)
    await page.getByRole('button', { name: 'KYC onboarding' }).click()
    await page.getByLabel('Workflow name').waitFor()

    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Download' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('kyc-onboarding.workflow.json')
    const text = await readFile((await file.path())!, 'utf8')
    expect(text.endsWith('}\n')).toBe(true)
    const request = JSON.parse(text)
    expect(request).toEqual({
      name: 'KYC onboarding',
      steps: [
        { id: 'ID_VERIFICATION', config: { enable_fraud_analysis: true, escalation_type: 'nfc-passport' } },
        { id: 'FACE_LIVENESS' },
        { id: 'PEP_SANCTIONS' },
        { id: 'ADVERSE_MEDIA' },
      ],
    })
    // It is the create request: the API takes it as it is.
    expect((await api.workflows.create(request)).name).toBe('KYC onboarding')

    await page.getByRole('link', { name: 'wf console' }).click()
    await page.getByRole('button', { name: 'New workflow' }).click()
    await openFile(
      page,
      'from-a-file.workflow.json',
      JSON.stringify({ name: 'From a file', steps: [{ id: 'AGE_ESTIMATION', config: { minimum_age: 21 } }, { id: 'FACE_LIVENESS' }] }),
    )
    await expect.poll(() => stepOrder(page)).toEqual([TITLE.AGE_ESTIMATION, TITLE.FACE_LIVENESS])
    expect(await page.getByLabel('Workflow name').inputValue()).toBe('From a file')
    expect(await settings(page, TITLE.AGE_ESTIMATION).getByRole('textbox', { name: 'Minimum age' }).inputValue()).toBe('21')
    await page.getByRole('region', { name: 'No problems' }).waitFor()
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.waitForURL(/\/console\/workflows\/wf_/)
    const saved = (await api.workflows.list()).data.find((w) => w.name === 'From a file')
    expect(saved?.steps).toEqual(['AGE_ESTIMATION', 'FACE_LIVENESS'])
  })

  it("shows a file's problems: not JSON, not a workflow, or a value out of range", async () => {
    const { live } = await newOrg('e2e bad files')
    const page = await newPage()
    await signIn(page, live)
    await page.getByRole('button', { name: 'New workflow' }).click()
    const refused = page.getByRole('alert').filter({ hasText: 'That file could not be opened:' })

    await openFile(page, 'broken.workflow.json', '{"name": "Broken",')
    await refused.waitFor()
    expect(await refused.getByRole('listitem').allInnerTexts()).toEqual([expect.stringMatching(/^The file is not valid JSON: /)])
    expect(await stepOrder(page)).toEqual([])

    await openFile(page, 'list.json', '[1, 2, 3]')
    await refused.getByText('The file cannot be opened: it is not a workflow', { exact: false }).waitFor()
    expect(await stepOrder(page)).toEqual([])

    // The right shape, a value core refuses: opened, so it can be fixed, with the problem shown.
    await openFile(
      page,
      'too-strict.workflow.json',
      JSON.stringify({ name: 'Too strict', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 150 } }] }),
    )
    await refused.waitFor({ state: 'detached' })
    await expect.poll(() => stepOrder(page)).toEqual([TITLE.FACE_LIVENESS])
    const problems = page.getByRole('region', { name: '1 problem to fix before saving' })
    await problems.waitFor()
    expect(await problems.getByRole('listitem').allInnerTexts()).toEqual([
      `${TITLE.FACE_LIVENESS} › Confidence threshold: must be an integer from 1 to 100 /steps/0/config/confidence_threshold`,
    ])
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true)
  })
})
