// @wf/core is consumed like any npm package: through its package.json exports, from dist/.
import { describe, expect, it } from 'vitest'

describe('@wf/core as a dependency', () => {
  it('resolves to the built ESM entry of its exports map', () => {
    expect(import.meta.resolve('@wf/core')).toMatch(/\/packages\/core\/dist\/index\.js$/)
  })

  it('exposes the public surface', async () => {
    const core = await import('@wf/core')
    expect(typeof core.parseCreateWorkflow).toBe('function')
    expect((core.CreateWorkflowRequest as { $id?: string }).$id).toBe('CreateWorkflowRequest')
    expect(core.STEP_IDS).toHaveLength(5)
  })
})
