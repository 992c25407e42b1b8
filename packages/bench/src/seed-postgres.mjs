// The PostgreSQL twin of seed.mjs: a fresh database (@wf/storage/testing), migrated by the store's
// own opener, one organization of 100,000 workflows and one of 1,000, written with multi-row
// inserts (unnest) so that seeding takes seconds. The rows are what the API itself would write:
// the same example workflow, resolved by core.
import { createIdGenerator, sha256Hex } from '@wf/api'
import { EXAMPLE_CREATE_WORKFLOW, parseCreateWorkflow } from '@wf/core'
import { createApiKey, createOrganization } from '@wf/domain'
import { openPostgres } from '@wf/storage/postgres'
import { postgresForTests } from '@wf/storage/testing'

const CHUNK = 5_000

/**
 * @param {Record<string, number>} sizes workflows per organization, by label
 * @returns {Promise<{ url: string, orgs: Record<string, import('./seed.mjs').SeededOrg>, drop(): Promise<void> } | { skipped: string }>}
 */
export async function seedPostgres(sizes) {
  const database = await postgresForTests({ name: 'bench' })
  if (!database.ok) return { skipped: database.reason }
  const { store, pool, close } = await openPostgres({ url: database.url, poolSize: 2 })
  try {
    const ids = createIdGenerator()
    const ctx = { store, ids, sha256Hex, clock: { now: () => new Date() } }
    const parsed = parseCreateWorkflow(EXAMPLE_CREATE_WORKFLOW)
    if (!parsed.ok) throw new Error('example workflow does not validate')
    const steps = JSON.stringify(parsed.value.steps)
    const stepIds = parsed.value.steps.map((s) => s.id)
    /** @type {Record<string, import('./seed.mjs').SeededOrg>} */
    const orgs = {}
    for (const [label, count] of Object.entries(sizes)) {
      const org = await createOrganization(ctx, { name: `bench ${label}` })
      const { api_key, secret } = await createApiKey(ctx, org.id, { mode: 'live', name: 'bench' })
      let lastId = ''
      for (let done = 0; done < count; done += CHUNK) {
        const n = Math.min(CHUNK, count - done)
        const rowIds = Array.from({ length: n }, () => ids.workflow())
        const names = rowIds.map((_, i) => `Workflow ${done + i}`)
        const now = new Date().toISOString()
        await pool.query(
          `with w as (
             insert into workflows (id, organization_id, name, status, version, created_by, created_at, updated_at, steps, step_ids)
             select id, $2, name, 'active', 1, $3, $4, $4, $5::json, $6::text[] from unnest($1::text[], $7::text[]) as t(id, name)
             returning id, name)
           insert into workflow_versions (workflow_id, version, name, status, steps, created_by, created_at)
           select id, 1, name, 'active', $5::json, $3, $4 from w`,
          [rowIds, org.id, api_key.id, now, steps, stepIds, names],
        )
        lastId = rowIds[rowIds.length - 1]
      }
      orgs[label] = { orgId: org.id, secret, workflowId: lastId }
    }
    await pool.query('analyze')
    return { url: database.url, orgs, drop: () => database.dropDatabase() }
  } finally {
    await close()
  }
}
