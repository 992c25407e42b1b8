/**
 * Limits and failures: a 429 shows "Too many requests … Trying again in N s" and the action then
 * completes; a network failure on Save says the server could not be reached, keeps the edit, and
 * "Try again" saves it (with the same Idempotency-Key: never twice).
 */
import { createClient, RateLimitError } from '@wf/client'
import { describe, expect, it } from 'vitest'
import { useBrowser } from './browser.js'
import { palette, signIn, stepOrder, TITLE } from './console.js'
import { limitedUrl, newOrg, target } from './fixtures.js'

describe(`limits and failures (${target})`, () => {
  const newPage = useBrowser()

  it('waits out a 429 with a visible notice, then completes the save', { timeout: 90_000 }, async () => {
    // The tight target: a burst of 5, then one request every 5 s.
    const { live, api } = await newOrg('e2e rate limited', limitedUrl)
    const page = await newPage()
    await signIn(page, live, limitedUrl)
    await page.getByRole('button', { name: 'New workflow' }).click()
    await page.getByLabel('Workflow name').fill('Patient')
    await palette(page).getByRole('button', { name: TITLE.PEP_SANCTIONS, exact: true }).click()

    // Take every token left, with a client that does not wait.
    const impatient = createClient({ baseUrl: limitedUrl, apiKey: live, maxRetries: 0 })
    for (let i = 0; ; i++) {
      expect(i).toBeLessThan(20)
      const refused = await impatient.workflows.list({ limit: 1 }).then(
        () => false,
        (e: unknown) => e instanceof RateLimitError,
      )
      if (refused) break
    }

    const limited = page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 429)
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await limited
    const notice = page.getByRole('status').filter({ hasText: 'Too many requests' })
    const text = await notice.textContent()
    expect(text).toMatch(/^Too many requests: the server asked to wait\. Trying again in \d+ s…$/)
    const seconds = Number(/in (\d+) s/.exec(text ?? '')?.[1])
    expect(seconds).toBeGreaterThanOrEqual(1)
    expect(seconds).toBeLessThanOrEqual(60)

    // The console waits as asked and saves; the notice goes once the wait is over.
    await page.waitForURL(/\/console\/workflows\/wf_/, { timeout: 45_000 })
    await page.getByRole('heading', { level: 1, name: 'Patient' }).waitFor({ timeout: 30_000 })
    await notice.waitFor({ state: 'detached', timeout: 30_000 })
    const { data } = await api.workflows.list()
    expect(data.map((w) => w.name)).toEqual(['Patient'])
  })

  it('keeps the edit when the server cannot be reached, and "Try again" saves it once', async () => {
    const { live, api } = await newOrg('e2e offline')
    const page = await newPage()
    await signIn(page, live)
    await page.getByRole('button', { name: 'New workflow' }).click()
    await page.getByLabel('Workflow name').fill('Offline edit')
    await palette(page).getByRole('button', { name: TITLE.FACE_LIVENESS, exact: true }).click()
    await palette(page).getByRole('button', { name: TITLE.AGE_ESTIMATION, exact: true }).click()

    const keys: string[] = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/v1/workflows') keys.push(r.headers()['idempotency-key'] ?? '')
    })
    await page.route('**/v1/workflows**', (route) => route.abort('internetdisconnected'))
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    const failure = page.getByRole('alert').filter({ hasText: 'could not be reached' })
    await failure.waitFor()
    expect(await failure.textContent()).toContain('The server could not be reached. Your changes are kept.')
    expect(page.url()).toMatch(/\/console\/workflows\/new$/)
    expect(await page.getByLabel('Workflow name').inputValue()).toBe('Offline edit')
    expect(await stepOrder(page)).toEqual([TITLE.FACE_LIVENESS, TITLE.AGE_ESTIMATION])
    expect((await api.workflows.list()).data).toEqual([])

    await page.unroute('**/v1/workflows**')
    await failure.getByRole('button', { name: 'Try again' }).click()
    await page.waitForURL(/\/console\/workflows\/wf_/)
    await page.getByRole('heading', { level: 1, name: 'Offline edit' }).waitFor()
    const { data } = await api.workflows.list()
    expect(data.map((w) => [w.name, w.steps])).toEqual([['Offline edit', ['FACE_LIVENESS', 'AGE_ESTIMATION']]])
    // Every attempt, the failed ones and the one that went through, carried the same key.
    expect(keys.length).toBeGreaterThanOrEqual(2)
    expect(new Set(keys).size).toBe(1)
  })
})
