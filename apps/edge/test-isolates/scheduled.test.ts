// The Cron Trigger's handler: the built Worker, given a scheduled event, purges the idempotency
// records past their 24 hours and keeps the others (the bounds per run are @wf/domain's, tested there).
import { fileURLToPath } from 'node:url'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyD1Migrations } from '../scripts/d1-migrations.mjs'

const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url))
let mf: Miniflare

beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    scriptPath: bundle,
    compatibilityDate: '2025-09-01',
    d1Databases: { DB: 'scheduled-d1' },
    durableObjects: { RATE_LIMITER: { className: 'RateLimiter', useSQLite: true } },
  })
  await applyD1Migrations(await mf.getD1Database('DB'))
}, 60_000)
afterAll(() => mf?.dispose())

describe('the scheduled handler', () => {
  it('purges idempotency records older than 24 hours and keeps the newer ones', async () => {
    const db = await mf.getD1Database('DB')
    const hour = 60 * 60 * 1000
    const times = [48 * hour, 24 * hour + 60_000, 23 * hour, 60_000].map((ago) => new Date(Date.now() - ago).toISOString())
    for (const [i, at] of times.entries()) {
      await db
        .prepare('insert into idempotency_keys (organization_id, key, request_hash, status, body, created_at) values (?, ?, ?, ?, ?, ?)')
        .bind('org_cron', `key-${i}`, 'h', 201, '{}', at)
        .run()
    }
    // Miniflare's Fetcher type is undici's; the Worker's fetcher has `scheduled` at run time.
    const worker = (await mf.getWorker()) as unknown as { scheduled(options: { cron: string }): Promise<{ outcome: string }> }
    const result = await worker.scheduled({ cron: '*/10 * * * *' })
    expect(result.outcome).toBe('ok')
    const left = await db.prepare("select key from idempotency_keys where organization_id = 'org_cron' order by key").all<{ key: string }>()
    expect(left.results.map((r: { key: string }) => r.key)).toStrictEqual(['key-2', 'key-3'])
  })
})
