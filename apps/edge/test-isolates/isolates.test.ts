// The rate limit holds across isolates (contract §6): two copies of the built Worker run as two
// workers (two isolates, each with its own module state) over one D1 database, and both bind the
// one RateLimiter Durable Object class. Their requests draw from one bucket per key.
import { fileURLToPath } from 'node:url'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyD1Migrations } from '../scripts/d1-migrations.mjs'

const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const ADMIN = 'isolates-admin-token'
const common = {
  modules: true,
  scriptPath: bundle,
  compatibilityDate: '2025-09-01',
  d1Databases: { DB: 'shared-d1' },
  bindings: { WF_ADMIN_TOKEN: ADMIN, WF_RATE_LIMIT_RPS: '0.001', WF_RATE_LIMIT_BURST: '6' },
}

let mf: Miniflare
beforeAll(async () => {
  mf = new Miniflare({
    workers: [
      { ...common, name: 'edge-a', durableObjects: { RATE_LIMITER: { className: 'RateLimiter', useSQLite: true } } },
      { ...common, name: 'edge-b', durableObjects: { RATE_LIMITER: { className: 'RateLimiter', scriptName: 'edge-a', useSQLite: true } } },
    ],
  })
  await applyD1Migrations(await mf.getD1Database('DB', 'edge-a'))
}, 60_000)
afterAll(() => mf?.dispose())

async function worker(name: 'edge-a' | 'edge-b') {
  // Miniflare's fetch types are undici's; this file only needs status and body.
  const w = (await mf.getWorker(name)) as unknown as { fetch(url: string, init?: RequestInit): Promise<Response> }
  return (path: string, init: RequestInit = {}) => w.fetch(`http://edge.test${path}`, init)
}

describe('two isolates, one Durable Object per key', () => {
  it('shares one bucket: burst 6 spent across both workers, then both refuse', async () => {
    const a = await worker('edge-a')
    const b = await worker('edge-b')
    const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }
    const org = (await (await a('/admin/v1/organizations', { method: 'POST', headers: admin, body: '{"name":"Iso"}' })).json()) as {
      organization: { id: string }
    }
    const key = (await (
      await b(`/admin/v1/organizations/${org.organization.id}/api-keys`, { method: 'POST', headers: admin, body: '{"mode":"live"}' })
    ).json()) as { secret: string }

    const statuses: string[] = []
    for (let i = 0; i < 8; i++) {
      const [name, call] = i % 2 === 0 ? ['a', a] : ['b', b]
      const res = await call('/v1/workflows', { headers: { 'x-api-key': key.secret } })
      statuses.push(`${name}:${res.status}`)
      await res.arrayBuffer()
    }
    // An in-isolate bucket would allow 6 in each worker (12 in all); the shared one allows 6.
    expect(statuses).toEqual(['a:200', 'b:200', 'a:200', 'b:200', 'a:200', 'b:200', 'a:429', 'b:429'])
  })
})
