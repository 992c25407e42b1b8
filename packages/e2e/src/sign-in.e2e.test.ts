import { describe, expect, it } from 'vitest'
import { seriousViolations } from './axe.js'
import { useBrowser } from './browser.js'
import { baseUrl, newOrg, target } from './fixtures.js'

describe(`signing in (${target})`, () => {
  const newPage = useBrowser()

  it('signs in with a live key, keeps it in sessionStorage only, and signs out', async () => {
    const { live } = await newOrg('e2e sign in')
    const page = await newPage()
    await page.goto(`${baseUrl}/console/`)
    expect(await seriousViolations(page)).toEqual([])
    await page.getByLabel('API key').fill(live)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('button', { name: 'New workflow' }).waitFor()
    expect(page.url()).not.toContain(live)
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(live)
    expect(await page.evaluate(() => Object.values(sessionStorage))).toContain(live)
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('API key').waitFor()
    expect(await page.evaluate(() => Object.values(sessionStorage))).not.toContain(live)
  })

  it('keeps the key out of every URL and out of localStorage while working, across a reload, until sign-out', async () => {
    const { live, api } = await newOrg('e2e key hygiene')
    const workflow = await api.workflows.create({ name: 'Hygiene', steps: [{ id: 'PEP_SANCTIONS' }] })
    const page = await newPage()
    const urls: string[] = []
    page.on('request', (r) => urls.push(r.url()))
    page.on('framenavigated', (f) => urls.push(f.url()))
    // With the keyboard only: type the key, Enter.
    await page.goto(`${baseUrl}/console/`)
    await page.getByLabel('API key').focus()
    await page.keyboard.type(live)
    await page.keyboard.press('Enter')
    await page.getByText('Live key', { exact: true }).waitFor()

    await page.getByRole('link', { name: 'Hygiene' }).click()
    await page.getByRole('button', { name: 'History' }).click()
    await page.getByRole('heading', { level: 1, name: 'History of Hygiene' }).waitFor()
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'History of Hygiene' }).waitFor() // still signed in, same screen
    expect(page.url()).toBe(`${baseUrl}/console/workflows/${workflow.id}/history`)

    expect(urls.length).toBeGreaterThan(5)
    expect(urls.filter((u) => u.includes(live) || u.includes(encodeURIComponent(live)))).toEqual([])
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(live)
    expect(await page.evaluate(() => document.cookie)).not.toContain(live)

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('API key').waitFor()
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(live)
    await page.reload()
    await page.getByLabel('API key').waitFor() // signed out stays signed out
  })

  it('refuses an unknown key with a clear message', async () => {
    const page = await newPage()
    await page.goto(`${baseUrl}/console/`)
    await page.getByLabel('API key').fill(`wf_live_${'x'.repeat(43)}`)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('This API key was refused').waitFor()
  })
})
