/**
 * The client's integration scenarios: `@wf/client` against a real target (the Node server, the
 * edge app in workerd, or any URL), each an `async (ctx) => void` that throws on failure.
 *
 * Written only against the client's public API and web-platform globals (no test framework, no
 * `node:` module), so the same scenarios run under vitest in Node (in-node.test.ts) and bundled
 * into a Worker in workerd (in-worker.test.ts, worker-entry.ts). Each scenario makes its own
 * organization and keys with `createAdminClient`, so they run in any order and at once.
 *
 * Failures without an answer (a lost response, a stall, a 503 from a proxy, an abort) come from
 * `faults.ts`, a wrapper around the global fetch given to the client as its `fetch` option.
 */
import { bulk } from './scenarios/bulk.js'
import type { Scenario } from './scenarios/context.js'
import { errors } from './scenarios/errors.js'
import { faults } from './scenarios/faults.js'
import { normalised } from './scenarios/normalised.js'
import { roundTrips } from './scenarios/round-trips.js'

export { BULK } from './scenarios/bulk.js'
export { type Context, contextFor, type Scenario, type ScenarioInput } from './scenarios/context.js'

/** Every scenario, by name. */
export const scenarios: Record<string, Scenario> = { ...roundTrips, ...errors, ...faults, ...normalised, ...bulk }

/** Longer than the default 30 s: the runner's timeout for these. */
export const TIMEOUTS: Record<string, number> = {
  [Object.keys(bulk)[0]!]: 600_000,
}
