// What `wrangler deploy` ships, read from the dry-run bundle (`pnpm --filter @wf/edge build`).
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const BUNDLE = fileURLToPath(new URL('../dist/index.js', import.meta.url))

describe('the deployable bundle', () => {
  it('exists (turbo builds it before the tests)', () => {
    expect(existsSync(BUNDLE)).toBe(true)
  })

  // `wrangler dev` wraps the Worker in a middleware that reads every unread request body before the
  // answer leaves, so locally a 413 decided from Content-Length waits for the whole body (issue 10,
  // item 8). That middleware is for dev only: the deployed Worker answers at once.
  it('has no dev-only body-draining middleware, so a 413 from Content-Length is not held back', () => {
    const bundle = readFileSync(BUNDLE, 'utf8')
    expect(bundle).not.toContain('Failed to drain the unused request body')
    expect(bundle).toContain('payload_too_large')
  })
})
