/**
 * Driving the console as a person does: by role and accessible name, by keyboard where the issue
 * asks for it, deciding by what is on screen. Every wait is bounded (Playwright's auto-waiting,
 * or expect.poll); nothing sleeps a fixed time.
 */
import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import { baseUrl } from './fixtures.js'

/** The catalog's titles, as the palette, the step list and the settings name each step. */
export const TITLE = {
  ID_VERIFICATION: 'ID verification',
  FACE_LIVENESS: 'Face liveness',
  AGE_ESTIMATION: 'Age estimation',
  PEP_SANCTIONS: 'PEP and sanctions screening',
  ADVERSE_MEDIA: 'Adverse media screening',
} as const

/** The sandbox key's sentence, word for word from the contract (§3). */
export const SANDBOX_SENTENCE = 'This is a sandbox API key. Use a live API key to create or modify resources.'

/** Opens the console and signs in with the keyboard (type the key, press Enter). */
export async function signIn(page: Page, key: string, url = baseUrl): Promise<void> {
  await page.goto(`${url}/console/`)
  await page.getByLabel('API key').fill(key)
  await page.getByLabel('API key').press('Enter')
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
}

/** Goes to a workflow by its URL (a shared link) and waits until the builder shows it. */
export async function openWorkflow(page: Page, id: string, url = baseUrl): Promise<void> {
  await page.goto(`${url}/console/workflows/${encodeURIComponent(id)}`)
  await page.getByLabel('Workflow name').waitFor()
}

/** The list of the workflow's steps, in order. */
export const stepList = (page: Page): Locator => page.getByRole('grid', { name: 'Workflow steps, in order' })

/** The palette: the catalog's steps not yet in the workflow, one button each. */
export const palette = (page: Page): Locator => page.getByRole('region', { name: 'Steps', exact: true })

/**
 * The steps of the workflow as the list names them: each step's row is named by its title (the
 * row of the empty state has no name).
 */
export async function stepOrder(page: Page): Promise<string[]> {
  return stepList(page)
    .getByRole('row')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? '').filter((name) => name !== ''))
}

export const row = (page: Page, title: string): Locator => stepList(page).getByRole('row', { name: title, exact: true })

/** The name of the focused element (its aria-label, else its text). */
export async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement
    return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? ''
  })
}

/**
 * Focuses a control inside a step's row the way a keyboard user gets there: focus the row, then
 * ArrowRight through its controls (the list is a grid: Tab leaves it, arrows move within it).
 */
export async function focusInRow(page: Page, title: string, control: string): Promise<void> {
  await row(page, title).focus()
  for (let i = 0; i < 8 && (await focusedName(page)) !== control; i++) await page.keyboard.press('ArrowRight')
  expect(await focusedName(page)).toBe(control)
}

/** Selects a step (its settings show) by clicking its row, and waits for its settings heading. */
export async function selectStep(page: Page, title: string): Promise<void> {
  await row(page, title).getByText(title, { exact: true }).click()
  await settings(page, title).waitFor()
}

/** The settings panel of the selected step ("2. Face liveness"). */
export const settings = (page: Page, title: string): Locator =>
  page.getByRole('region', { name: new RegExp(`^\\d+\\. ${escapeRegExp(title)}$`) })

/** The text of what an element's aria-describedby points at (its accessible description). */
export async function description(field: Locator): Promise<string> {
  return field.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter((id) => id !== '')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  )
}

/**
 * Chooses an option of a select with the keyboard: focus its button, Enter opens the list, arrows
 * to the option, Enter chooses it; waits until the list has closed and focus is back on the button.
 */
export async function chooseOption(page: Page, label: string, option: string): Promise<void> {
  // The button is named by its value, then its label ("None Escalation type").
  const button = page.getByRole('button', { name: new RegExp(`${escapeRegExp(label)}$`) })
  await button.focus()
  await page.keyboard.press('Enter')
  const listbox = page.getByRole('listbox')
  await listbox.waitFor()
  await page.keyboard.press('Home')
  for (let i = 0; i < 20 && (await focusedName(page)) !== option; i++) await page.keyboard.press('ArrowDown')
  expect(await focusedName(page)).toBe(option)
  await page.keyboard.press('Enter')
  await listbox.waitFor({ state: 'detached' })
  await expect.poll(() => button.evaluate((el) => el === document.activeElement)).toBe(true)
  expect(await button.textContent()).toContain(option)
}

/** The code shown in a preview tab, once that tab is chosen. */
export async function previewText(page: Page, tab: 'As stored' | 'Request JSON' | 'curl' | '@wf/client'): Promise<string> {
  await page.getByRole('tab', { name: tab, exact: true }).click()
  const panel = page.getByRole('tabpanel', { name: tab, exact: true })
  return (await panel.getByRole('code').textContent()) ?? ''
}

/**
 * How wide the page's content is (document.documentElement.scrollWidth), and, when that is wider
 * than the viewport, the innermost elements that stick out past its right edge (for the message).
 */
export async function pageWidth(page: Page): Promise<{ scrollWidth: number; sticksOut: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const out = (el: Element) => el.getBoundingClientRect().right > width + 0.5
    // Inside a box that scrolls or clips and itself fits, an element does not widen the page.
    const clipped = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible' && !out(a)) return true
      }
      return false
    }
    const sticksOut = Array.from(document.body.querySelectorAll('*'))
      .filter((el) => out(el) && !Array.from(el.children).some(out) && !clipped(el))
      .slice(0, 5)
      .map(
        (el) =>
          `<${el.tagName.toLowerCase()}> ${Math.round(el.getBoundingClientRect().right)} px: ${(el.textContent ?? '').trim().slice(0, 60)}`,
      )
    return { scrollWidth: document.documentElement.scrollWidth, sticksOut }
  })
}

/** Runs `make(i)` for i in 0..count-1, at most `concurrency` at a time. */
export async function inParallel<T>(count: number, concurrency: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++
        results[i] = await make(i)
      }
    }),
  )
  return results
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
