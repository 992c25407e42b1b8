/**
 * The client's scenarios (scenarios.ts) under vitest in Node, against the project's target: the
 * Node server (`node`), the edge app in workerd (`edge`), or WF_CONFORMANCE_URL (`external`).
 * One test per scenario; each makes its own organization and keys.
 */
import { describe, inject, it } from 'vitest'
import '../src/provided.js'
import { contextFor, type ScenarioInput, scenarios, TIMEOUTS } from './scenarios.js'

const input: ScenarioInput = {
  target: inject('target'),
  baseUrl: inject('baseUrl'),
  limitedUrl: inject('limitedUrl'),
  adminToken: inject('adminToken'),
  tightLimits: inject('tightLimits'),
}

describe(`@wf/client in Node against ${input.target}`, () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, () => scenario(contextFor(input, (line) => console.log(line))), TIMEOUTS[name])
  }
})
