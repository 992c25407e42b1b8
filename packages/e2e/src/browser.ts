/**
 * Chromium for the tests: Debian's (`apt-get install -y chromium`), found at its usual paths or at
 * WF_CHROMIUM; driven by playwright-core (which cannot download its own browsers here). Every page
 * is screenshotted into artifacts/ when its test fails.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']
export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts')

export function chromiumPath(): string | undefined {
  const fromEnv = process.env.WF_CHROMIUM
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined
  return CANDIDATES.find((p) => existsSync(p))
}

/** Throws, before any server starts, with what to install when there is no Chromium. */
export function requireChromium(): string {
  const path = chromiumPath()
  if (path) return path
  throw new Error(
    [
      'No Chromium found for the console end-to-end tests.',
      process.env.WF_CHROMIUM ? `WF_CHROMIUM=${process.env.WF_CHROMIUM} does not exist.` : `Looked at: ${CANDIDATES.join(', ')}.`,
      'Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`), or point WF_CHROMIUM at a Chrome or Chromium binary.',
    ].join('\n'),
  )
}

/** One browser for the test file, and a fresh page (its own context: empty sessionStorage) per call. */
export function useBrowser() {
  let browser: Browser | undefined
  const pages: Page[] = []
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: requireChromium(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    })
  })
  afterEach(async ({ task }) => {
    const open = pages.splice(0)
    // Here, not in onTestFailed: vitest runs afterEach first, and the pages are closed by then.
    if (task.result?.state === 'fail') {
      mkdirSync(ARTIFACTS, { recursive: true })
      const name = `${task.file?.projectName ?? ''}-${task.name}`.replace(/[^a-z0-9]+/gi, '-').slice(0, 120)
      await Promise.all(
        open.map((page, i) =>
          page.screenshot({ path: join(ARTIFACTS, `${name}${i > 0 ? `-${i + 1}` : ''}.png`), fullPage: true }).catch(() => {}),
        ),
      )
    }
    await Promise.all(open.map((p) => p.context().close()))
  })
  afterAll(async () => {
    await browser?.close()
  })
  return async function newPage(options: { width?: number; height?: number } = {}): Promise<Page> {
    if (!browser) throw new Error('the browser has not started')
    const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const page = await context.newPage()
    // Every wait is bounded: an element or an answer that does not come fails the step in 15 s, not 30.
    page.setDefaultTimeout(15_000)
    pages.push(page)
    return page
  }
}
