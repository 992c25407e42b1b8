/**
 * The client's scenarios (scenarios.ts) under vitest in Node, against the project's target: the
 * Node server (`node`), the edge app in workerd (`edge`), two Node servers on one PostgreSQL
 * database (`replicas`), or WF_CONFORMANCE_URL (`external`). One test per scenario; each makes its
 * own organization and keys.
 *
 * With replicas, the global fetch (which the client, and faults.ts underneath its faults, call at
 * each request) is wrapped to send each request to the next replica in turn: a lost answer on one
 * replica is retried on the other, a write on one is read back from the other.
 */
import { afterAll, describe, inject, it, vi } from 'vitest'
import '../src/provided.js'
import { roundRobin } from '../src/round-robin.js'
import { contextFor, type ScenarioInput, scenarios, TIMEOUTS } from './scenarios.js'

const input: ScenarioInput = {
  target: inject('target'),
  baseUrl: inject('baseUrl'),
  limitedUrl: inject('limitedUrl'),
  adminToken: inject('adminToken'),
  tightLimits: inject('tightLimits'),
}

const baseUrls = inject('baseUrls') ?? [input.baseUrl]
const limitedUrls = inject('limitedUrls') ?? [input.limitedUrl]
if (baseUrls.length > 1 || limitedUrls.length > 1) {
  const replicas = roundRobin([baseUrls, limitedUrls])
  const real = globalThis.fetch
  vi.stubGlobal('fetch', (request: string | URL | Request, init?: RequestInit) =>
    real(typeof request === 'string' ? replicas.next(request) : request instanceof URL ? replicas.next(request.href) : request, init),
  )
  afterAll(() => {
    vi.unstubAllGlobals()
    console.log(`client requests per replica: ${[...replicas.counts].map(([url, n]) => `${url} ${n}`).join(', ')}`)
  })
}

describe(`@wf/client in Node against ${input.target}`, () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, () => scenario(contextFor(input, (line) => console.log(line))), TIMEOUTS[name])
  }
})
