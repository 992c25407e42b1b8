/**
 * The fraud rules made visible: on a workflow with ID verification escalating to an NFC passport
 * scan at 60, the risk slider moved with the keyboard turns the sentence at the boundary (59 / 60).
 */
import { describe, expect, it } from 'vitest'
import { useBrowser } from './browser.js'
import { openWorkflow, settings, signIn, TITLE } from './console.js'
import { newOrg, target } from './fixtures.js'

const escalates = (risk: number) => `Risk ${risk} ≥ threshold 60: this workflow escalates to an NFC passport scan.`
const stays = (risk: number) => `Risk ${risk} < threshold 60: no escalation (it would take 60 or more to escalate to an NFC passport scan).`

describe(`the fraud simulation (${target})`, () => {
  const newPage = useBrowser()

  it('escalates from a risk of 60, not at 59, as the risk slider moves', async () => {
    const { live, api } = await newOrg('e2e fraud')
    const workflow = await api.workflows.create({
      name: 'Fraud rules',
      steps: [
        { id: 'ID_VERIFICATION', config: { escalation_type: 'nfc-passport', escalation_risk_threshold: 60 } },
        { id: 'FACE_LIVENESS' },
      ],
    })
    const page = await newPage()
    await signIn(page, live)
    await openWorkflow(page, workflow.id)

    const simulation = page.getByRole('region', { name: 'Try the fraud rules' })
    const risk = simulation.getByRole('slider', { name: 'Risk score of a session' })
    const sentence = (text: string) => simulation.getByText(text, { exact: true }).waitFor()
    expect(await risk.inputValue()).toBe('50')
    await sentence(stays(50))

    await risk.focus()
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight')
    await sentence(stays(59))
    await page.keyboard.press('ArrowRight')
    await sentence(escalates(60))
    await page.keyboard.press('ArrowLeft')
    await sentence(stays(59))
    await page.keyboard.press('End')
    await sentence(escalates(100))
    await page.keyboard.press('Home')
    await sentence(stays(0))
    expect(await risk.inputValue()).toBe('0')

    // The simulation follows the draft: a threshold of 65 moves the boundary.
    const threshold = settings(page, TITLE.ID_VERIFICATION).getByRole('textbox', { name: 'Escalation risk threshold (number)' })
    await threshold.fill('65')
    await threshold.press('Tab')
    await risk.focus()
    await page.keyboard.press('End')
    await sentence('Risk 100 ≥ threshold 65: this workflow escalates to an NFC passport scan.')
  })
})
