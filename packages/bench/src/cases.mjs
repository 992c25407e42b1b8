// The measured requests, the same for the benchmark and the profiler, and one bounded autocannon run.
import { EXAMPLE_CREATE_WORKFLOW } from '@wf/core'
import autocannon from 'autocannon'

export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)

/**
 * `server` and `baseline` are { url }; `orgs` comes from seed() (only their names are needed to list the cases).
 * @param {{ baseline?: { url: string }, server: { url: string }, orgs: Record<string, Partial<import('./seed.mjs').SeededOrg>> }} opts
 */
export function benchCases({ baseline, server, orgs }) {
  const key = (org) => ({ 'x-api-key': orgs[org].secret, 'content-type': 'application/json' })
  const valid = JSON.stringify(EXAMPLE_CREATE_WORKFLOW)
  const invalid = JSON.stringify({
    ...EXAMPLE_CREATE_WORKFLOW,
    steps: [...EXAMPLE_CREATE_WORKFLOW.steps.slice(0, 4), { id: 'ADVERSE_MEDIA', config: { level: 'high' } }],
  })
  let threshold = 0
  const cases = {
    'GET /v1/workflows/{id}': { url: `${server.url}/v1/workflows/${orgs.big.workflowId}`, headers: key('big'), status: 200 },
    'POST /v1/workflows valid': { url: `${server.url}/v1/workflows`, method: 'POST', headers: key('small'), body: valid, status: 201 },
    'POST /v1/workflows invalid': { url: `${server.url}/v1/workflows`, method: 'POST', headers: key('small'), body: invalid, status: 400 },
    'GET /v1/workflows?limit=50 (100k)': { url: `${server.url}/v1/workflows?limit=50`, headers: key('big'), status: 200 },
    'GET /v1/workflows?limit=50 (1k)': { url: `${server.url}/v1/workflows?limit=50`, headers: key('small'), status: 200 },
    'PATCH …/steps/FACE_LIVENESS/config': {
      url: `${server.url}/v1/workflows/${orgs.small.workflowId}/steps/FACE_LIVENESS/config`,
      method: 'PATCH',
      headers: key('small'),
      status: 200,
      // A new value each time, so every request writes a version.
      requests: [
        { setupRequest: (req) => ({ ...req, body: JSON.stringify({ config: { confidence_threshold: 1 + (threshold++ % 100) } }) }) },
      ],
    },
  }
  if (!baseline) return cases
  return {
    'bare Hono GET (baseline)': { url: `${baseline.url}/`, status: 200 },
    "bare Hono, a workflow read's bytes": { url: `${baseline.url}/shaped`, status: 200 },
    "bare Hono, read body, invalid's 400": {
      url: `${baseline.url}/shaped`,
      method: 'POST',
      headers: key('small'),
      body: invalid,
      status: 400,
    },
    ...cases,
  }
}

/** The real server's answers to a workflow read and to the invalid create, for the baseline to copy. */
export async function captureShapes(server, orgs) {
  const { 'GET /v1/workflows/{id}': get, 'POST /v1/workflows invalid': post } = benchCases({ server, orgs })
  /** @param {{ url: string, method?: string, headers?: Record<string, string>, body?: string }} testCase */
  const capture = async ({ url, method = 'GET', headers, body }) => {
    const res = await fetch(url, { method, headers, body })
    const copied = Object.fromEntries(
      [...res.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name)),
    )
    return { status: res.status, headers: copied, body: await res.text() }
  }
  return { get: await capture(get), post: await capture(post) }
}

/** One autocannon run of a case; any response other than the expected kind fails the benchmark. */
export function load(name, testCase, seconds, extra = {}) {
  const { status, ...opts } = testCase
  return new Promise((resolve, reject) =>
    autocannon({ ...opts, connections: CONNECTIONS, duration: seconds, ...extra }, (err, r) => {
      if (err) return reject(err)
      const wrong = r.errors + r.timeouts + (status < 300 ? r.non2xx : r['2xx'])
      if (wrong > 0) return reject(new Error(`${name}: ${wrong} unexpected responses`))
      resolve(r)
    }),
  )
}
