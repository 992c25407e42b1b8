// How many sequential round trips each keyed route makes on the edge: the built Worker
// (dist/index.js) in Miniflare behind traced-worker.mjs, which counts its D1 queries and Durable
// Object calls per request and how many of them had to wait for another.
//
// Each binding call is given a simulated network latency (`latencyMs`) before its answer reaches
// the Worker. Locally D1 answers in microseconds, sooner than the Worker reads a request body from
// memory, so without it a call made after the body was read would look as if it had waited for
// every call that ended meanwhile. On Cloudflare's network a round trip takes milliseconds and the
// body is already there. Steps are counted from the order in which calls start and finish, never
// from how long anything took.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { EXAMPLE_CREATE_WORKFLOW } from '@wf/core'
import { Miniflare } from 'miniflare'
import { applyD1Migrations } from '../scripts/d1-migrations.mjs'

const ADMIN = 'round-trips-admin'
const file = (path) => fileURLToPath(new URL(path, import.meta.url))

/** Starts the traced Worker; `call` sends one request and returns its status, body and steps. */
export async function startTracedWorker({ latencyMs = 30 } = {}) {
  const mf = new Miniflare({
    modules: [
      { type: 'ESModule', path: file('./traced-worker.mjs'), contents: readFileSync(file('./traced-worker.mjs'), 'utf8') },
      { type: 'ESModule', path: file('./index.js'), contents: readFileSync(file('../dist/index.js'), 'utf8') },
    ],
    compatibilityDate: '2025-09-01',
    d1Databases: { DB: 'round-trips' },
    durableObjects: { RATE_LIMITER: { className: 'RateLimiter', useSQLite: true } },
    bindings: { TRACE_LATENCY_MS: String(latencyMs), WF_ADMIN_TOKEN: ADMIN, WF_RATE_LIMIT_RPS: '1000', WF_RATE_LIMIT_BURST: '1000' },
    // The Worker's access log is not this report's business.
    handleRuntimeStdio: (stdout, stderr) => {
      stdout.resume()
      stderr.pipe(process.stderr)
    },
  })
  await applyD1Migrations(await mf.getD1Database('DB'))
  const call = async (method, path, { key, body, headers = {} } = {}) => {
    const res = await mf.dispatchFetch(`http://edge.test${path}`, {
      method,
      headers: { ...(key ? { 'x-api-key': key } : {}), ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return {
      status: res.status,
      json: await res.json().catch(() => undefined),
      steps: Number(res.headers.get('x-wf-round-trips')),
      calls: res.headers.get('x-wf-calls'),
    }
  }
  const admin = { authorization: `Bearer ${ADMIN}` }
  const org = (await call('POST', '/admin/v1/organizations', { body: { name: 'Trips' }, headers: admin })).json.organization
  /** A new live key of the organization: its secret and id. */
  const newKey = async () => {
    const { json } = await call('POST', `/admin/v1/organizations/${org.id}/api-keys`, { body: { mode: 'live' }, headers: admin })
    return { secret: json.secret, id: json.api_key.id }
  }
  const revoke = async (keyId) => call('DELETE', `/admin/v1/api-keys/${keyId}`, { headers: admin })
  return { call, newKey, revoke, org, dispose: () => mf.dispose() }
}

/** Every keyed route once, in an order where each finds what it needs. */
export async function measureRoundTrips({ latencyMs } = {}) {
  const worker = await startTracedWorker({ latencyMs })
  try {
    const { call, newKey } = worker
    const fresh = (await newKey()).secret
    const key = (await newKey()).secret
    const id = (await call('POST', '/v1/workflows', { key, body: EXAMPLE_CREATE_WORKFLOW })).json.workflow.id
    const routes = [
      // The only request of this key so far in this isolate: its key is read first.
      ['GET /v1/workflows/{id}, a key this isolate has not seen', 'GET', `/v1/workflows/${id}`, { key: fresh }],
      ['GET /v1/workflows/{id}', 'GET', `/v1/workflows/${id}`],
      ['GET /v1/workflows/{id}, unknown id', 'GET', '/v1/workflows/wf_01M8K0000000000000000000XX'],
      ['GET /v1/workflows', 'GET', '/v1/workflows?limit=50'],
      ['GET /v1/workflows/{id}/versions', 'GET', `/v1/workflows/${id}/versions`],
      ['POST /v1/workflows', 'POST', '/v1/workflows', { body: EXAMPLE_CREATE_WORKFLOW }],
      [
        'POST /v1/workflows, Idempotency-Key',
        'POST',
        '/v1/workflows',
        { body: EXAMPLE_CREATE_WORKFLOW, headers: { 'idempotency-key': 'trips-1' } },
      ],
      ['POST /v1/workflows, invalid', 'POST', '/v1/workflows', { body: { name: '', steps: [] } }],
      ['PATCH /v1/workflows/{id}', 'PATCH', `/v1/workflows/${id}`, { body: { name: 'Renamed' } }],
      [
        'PATCH …/steps/{step}/config',
        'PATCH',
        `/v1/workflows/${id}/steps/FACE_LIVENESS/config`,
        { body: { config: { confidence_threshold: 91 } } },
      ],
      ['DELETE /v1/workflows/{id}', 'DELETE', `/v1/workflows/${id}`],
      // Well formed, so it is looked up (a malformed key is refused before any round trip).
      ['GET /v1/workflows, unknown key', 'GET', '/v1/workflows', { key: `wf_live_${'A'.repeat(43)}` }],
    ]
    const rows = []
    for (const [route, method, path, extra = {}] of routes) {
      const r = await call(method, path, { key, ...extra })
      rows.push({ route, status: r.status, steps: r.steps, calls: r.calls })
    }
    return rows
  } finally {
    await worker.dispose()
  }
}
