/**
 * History: the versions as a timeline, newest first; what changed between two versions, in words;
 * "Restore version 1" writes version 1's content as a new version.
 */
import { describe, expect, it } from 'vitest'
import { seriousViolations } from './axe.js'
import { useBrowser } from './browser.js'
import { chooseOption, openWorkflow, signIn, stepOrder, TITLE } from './console.js'
import { newOrg, target } from './fixtures.js'

describe(`a workflow's history (${target})`, () => {
  const newPage = useBrowser()

  it('lists the versions newest first, compares two in words, and restores version 1 as a new version', async () => {
    const { live, api } = await newOrg('e2e history')
    const v1 = await api.workflows.create({
      name: 'History',
      steps: [{ id: 'ID_VERIFICATION' }, { id: 'FACE_LIVENESS' }, { id: 'PEP_SANCTIONS' }],
    })
    await api.workflows.update(
      v1.id,
      { steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 90 } }, { id: 'ID_VERIFICATION' }, { id: 'ADVERSE_MEDIA' }] },
      { ifVersion: 1 },
    )
    await api.workflows.update(v1.id, { name: 'History renamed' }, { ifVersion: 2 })

    const page = await newPage()
    await signIn(page, live)
    await openWorkflow(page, v1.id)
    await page.getByRole('button', { name: 'History' }).click()
    await page.waitForURL(new RegExp(`/console/workflows/${v1.id}/history$`))
    await page.getByRole('heading', { level: 1, name: 'History of History renamed' }).waitFor()

    const timeline = page.getByRole('list').filter({ hasText: 'Version 1' }).first()
    const entries = timeline.getByRole('listitem')
    await expect.poll(() => entries.count()).toBe(3)
    const texts = await entries.allInnerTexts()
    expect(texts.map((t) => /Version (\d+)/.exec(t)?.[1])).toEqual(['3', '2', '1'])
    expect(texts[0]).toContain('current')
    expect(texts[2]).toContain(`History: ${TITLE.ID_VERIFICATION} → ${TITLE.FACE_LIVENESS} → ${TITLE.PEP_SANCTIONS}`)

    // By default the two newest are compared.
    const diff = page.getByRole('region', { name: 'Compare two versions' })
    const changes = () => diff.getByRole('listitem').allInnerTexts()
    expect(await changes()).toEqual(['Renamed from "History" to "History renamed"'])
    await chooseOption(page, 'From version', 'Version 1')
    await expect
      .poll(changes)
      .toEqual([
        'Renamed from "History" to "History renamed"',
        `Removed ${TITLE.PEP_SANCTIONS} (was at position 3)`,
        `Moved ${TITLE.ID_VERIFICATION} from position 1 to 2`,
        `Added ${TITLE.ADVERSE_MEDIA} at position 3`,
        `${TITLE.FACE_LIVENESS} › Confidence threshold: 70 → 90`,
      ])
    await chooseOption(page, 'To version', 'Version 1')
    await diff.getByText('No differences.').waitFor()
    expect(await seriousViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Restore version 1' }).click()
    await page.getByRole('status').getByText('Restored version 1 as version 4.').waitFor()
    await expect.poll(() => entries.count()).toBe(4)
    expect(/Version (\d+)/.exec((await entries.first().textContent()) ?? '')?.[1]).toBe('4')

    const [restored, first] = await Promise.all([api.workflows.retrieve(v1.id), api.workflows.version(v1.id, 1)])
    expect(restored.version).toBe(4)
    expect({ name: restored.name, steps: restored.steps }).toEqual({ name: first.name, steps: first.steps })
    expect((await api.workflows.versions(v1.id)).map((v) => v.version)).toEqual([4, 3, 2, 1])

    await page.getByRole('button', { name: 'Back to the workflow' }).click()
    await page.getByText('active · version 4').waitFor()
    expect(await stepOrder(page)).toEqual([TITLE.ID_VERIFICATION, TITLE.FACE_LIVENESS, TITLE.PEP_SANCTIONS])
  })
})
