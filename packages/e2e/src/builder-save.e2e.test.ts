/**
 * Saving: a new workflow is created once (with an Idempotency-Key) and the page moves to its URL;
 * a change is saved with If-Match at the version opened. The preview shows the workflow as stored
 * and the request as JSON, curl and @wf/client code, each with a Copy button.
 */
import { describe, expect, it } from 'vitest'
import { useBrowser } from './browser.js'
import { palette, previewText, signIn, TITLE } from './console.js'
import { newOrg, target } from './fixtures.js'

const isCreate = (r: { method(): string; url(): string }) => r.method() === 'POST' && new URL(r.url()).pathname === '/v1/workflows'

describe(`saving (${target})`, () => {
  const newPage = useBrowser()

  it('creates the workflow once, with an Idempotency-Key, then shows it as stored and as code to copy', async () => {
    const { live, api } = await newOrg('e2e save')
    const page = await newPage()
    await signIn(page, live)
    await page.getByRole('button', { name: 'New workflow' }).click()
    await page.getByLabel('Workflow name').fill('Saved once')
    await palette(page).getByRole('button', { name: TITLE.ID_VERIFICATION, exact: true }).click()
    await palette(page).getByRole('button', { name: TITLE.FACE_LIVENESS, exact: true }).click()

    // Before saving, the code creates: POST with an Idempotency-Key, the request as the body.
    const body = { name: 'Saved once', steps: [{ id: 'ID_VERIFICATION' }, { id: 'FACE_LIVENESS' }] }
    expect(JSON.parse(await previewText(page, 'Request JSON'))).toEqual(body)
    const curl = await previewText(page, 'curl')
    expect(curl).toContain(`curl -sS -X POST '${new URL(page.url()).origin}/v1/workflows'`)
    expect(curl).toMatch(/-H 'Idempotency-Key: [0-9a-f]{32}'/)
    expect(curl).toContain('$WF_API_KEY')
    expect(curl).not.toContain(live)

    const sent = page.waitForRequest(isCreate)
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    const request = await sent
    expect(request.headers()['idempotency-key']).toMatch(/^\S{1,255}$/)
    expect(request.postDataJSON()).toEqual(body)
    await page.waitForURL(/\/console\/workflows\/wf_[0-9A-Z]+$/)
    const id = decodeURIComponent(page.url().split('/').pop()!)
    await page.getByRole('heading', { level: 1, name: 'Saved once' }).waitFor()
    await page.getByText('active · version 1').waitFor()

    const { data } = await api.workflows.list()
    expect(data.map((w) => w.id)).toEqual([id])
    const stored = await api.workflows.retrieve(id)
    expect(stored.version).toBe(1)

    // Now the preview shows what was stored, and code that changes it at version 1.
    expect(JSON.parse(await previewText(page, 'As stored'))).toEqual({ name: stored.name, steps: stored.steps })
    expect(JSON.parse(await previewText(page, 'Request JSON'))).toEqual({ name: stored.name, steps: stored.steps })
    const patch = await previewText(page, 'curl')
    expect(patch).toContain(`-X PATCH '${new URL(page.url()).origin}/v1/workflows/${id}'`)
    expect(patch).toContain(`-H 'If-Match: "1"'`)
    const code = await previewText(page, '@wf/client')
    expect(code).toContain(`await wf.workflows.update(${JSON.stringify(id)}, body, { ifVersion: 1 })`)
    await page.getByRole('button', { name: 'Copy @wf/client' }).click()
    await page.getByRole('tabpanel', { name: '@wf/client' }).getByRole('button', { name: 'Copy @wf/client' }).getByText('Copied').waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code)

    // Nothing changed: nothing to save.
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true)
  })

  it('saves a change with If-Match at the version opened', async () => {
    const { live, api } = await newOrg('e2e update')
    const created = await api.workflows.create({ name: 'Before', steps: [{ id: 'PEP_SANCTIONS' }] })
    const page = await newPage()
    await signIn(page, live)
    await page.getByRole('link', { name: 'Before' }).click()
    await page.waitForURL(new RegExp(`/console/workflows/${created.id}$`))
    await page.getByLabel('Workflow name').fill('After')
    await palette(page).getByRole('button', { name: TITLE.ADVERSE_MEDIA, exact: true }).click()

    const sent = page.waitForRequest((r) => r.method() === 'PATCH' && new URL(r.url()).pathname === `/v1/workflows/${created.id}`)
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    expect((await sent).headers()['if-match']).toBe('"1"')
    await page.getByRole('status').getByText('Saved: version 2.').waitFor()

    const stored = await api.workflows.retrieve(created.id)
    expect(stored).toMatchObject({ name: 'After', version: 2, steps: [{ id: 'PEP_SANCTIONS' }, { id: 'ADVERSE_MEDIA' }] })
    expect((await api.workflows.list()).data).toHaveLength(1)
  })
})
