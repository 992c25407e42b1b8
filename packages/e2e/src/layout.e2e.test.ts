/**
 * The builder on a phone (360 px: no sideways page scroll) and on a desktop (1280 px: the palette,
 * the steps and the settings side by side); the 1280×900 screenshot for the README.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { seriousViolations } from './axe.js'
import { ARTIFACTS, useBrowser } from './browser.js'
import { pageWidth, palette, selectStep, settings, signIn, stepList, TITLE } from './console.js'
import { baseUrl, newOrg, target } from './fixtures.js'

describe(`the builder's layout (${target})`, () => {
  const newPage = useBrowser()

  it('fits a 360 px wide screen without sideways scrolling', async () => {
    const { live } = await newOrg('e2e phone')
    const page = await newPage({ width: 360, height: 780 })
    await signIn(page, live)
    await page.goto(`${baseUrl}/console/workflows/new?template=kyc-onboarding`)
    await selectStep(page, TITLE.ID_VERIFICATION)
    const fits = async () => {
      const { scrollWidth, sticksOut } = await pageWidth(page)
      expect(scrollWidth, `wider than 360 px:\n${sticksOut.join('\n')}`).toBeLessThanOrEqual(360)
    }
    await fits()
    // With the escalation settings open, a problem shown, and the widest preview tab.
    const threshold = settings(page, TITLE.ID_VERIFICATION).getByRole('textbox', { name: 'Escalation risk threshold (number)' })
    await threshold.fill('150')
    await threshold.press('Tab')
    await page.getByRole('region', { name: '1 problem to fix before saving' }).waitFor()
    await fits()
    await page.getByRole('tab', { name: 'curl' }).click()
    await fits()
    // Everything is reachable on the one column: the palette, the steps, the settings.
    for (const region of [palette(page), stepList(page), settings(page, TITLE.ID_VERIFICATION)]) {
      const box = (await region.boundingBox())!
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(360)
    }
  })

  it('lays out a 1280 px desktop in columns, and is photographed for the README', async () => {
    const { live } = await newOrg('e2e desktop')
    const page = await newPage({ width: 1280, height: 900 })
    await signIn(page, live)
    await page.goto(`${baseUrl}/console/workflows/new?template=kyc-onboarding`)
    await selectStep(page, TITLE.FACE_LIVENESS)
    const [left, middle, right] = await Promise.all(
      [palette(page), page.getByRole('region', { name: 'Workflow steps' }), settings(page, TITLE.FACE_LIVENESS)].map(
        async (r) => (await r.boundingBox())!,
      ),
    )
    expect(left!.x + left!.width).toBeLessThanOrEqual(middle!.x)
    expect(middle!.x + middle!.width).toBeLessThanOrEqual(right!.x)
    expect(Math.abs(left!.y - right!.y)).toBeLessThan(40)
    expect((await pageWidth(page)).scrollWidth).toBeLessThanOrEqual(1280)
    if (target === 'node') {
      mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: join(ARTIFACTS, 'builder.png') })
    }
    // A full builder: a template's four steps, one selected, the preview long enough to scroll.
    expect(await seriousViolations(page)).toEqual([])
  })
})
