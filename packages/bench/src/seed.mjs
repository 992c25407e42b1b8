// A database with one organization of 100,000 workflows and one of 1,000, written straight into
// SQLite (one transaction per organization) so that seeding takes seconds, not minutes of HTTP.

import { createIdGenerator, sha256Hex } from '@wf/api'
import { EXAMPLE_CREATE_WORKFLOW, parseCreateWorkflow } from '@wf/core'
import { createApiKey, createOrganization } from '@wf/domain'
import { openDatabase } from '@wf/storage/node'

/** @typedef {{ orgId: string, secret: string, workflowId: string }} SeededOrg */

/**
 * @param {string} dbPath
 * @param {Record<string, number>} sizes workflows per organization, by label
 * @returns {Promise<Record<string, SeededOrg>>} by label
 */
export async function seed(dbPath, sizes) {
  const { sqlite, store } = openDatabase(dbPath)
  const ids = createIdGenerator()
  const ctx = { store, ids, sha256Hex, clock: { now: () => new Date() } }
  const parsed = parseCreateWorkflow(EXAMPLE_CREATE_WORKFLOW)
  if (!parsed.ok) throw new Error('example workflow does not validate')
  const steps = JSON.stringify(parsed.value.steps)
  const stepIds = JSON.stringify(parsed.value.steps.map((s) => s.id))
  const insertWorkflow = sqlite.prepare(
    `INSERT INTO workflows (id, organization_id, name, status, version, created_by, created_at, updated_at, steps, step_ids)
     VALUES (?, ?, ?, 'active', 1, ?, ?, ?, ?, ?)`,
  )
  const insertVersion = sqlite.prepare(
    `INSERT INTO workflow_versions (workflow_id, version, name, status, steps, created_by, created_at) VALUES (?, 1, ?, 'active', ?, ?, ?)`,
  )
  /** @type {Record<string, SeededOrg>} */
  const orgs = {}
  for (const [label, count] of Object.entries(sizes)) {
    const org = await createOrganization(ctx, { name: `bench ${label}` })
    const { api_key, secret } = await createApiKey(ctx, org.id, { mode: 'live', name: 'bench' })
    let lastId
    sqlite.transaction(() => {
      for (let i = 0; i < count; i++) {
        const id = ids.workflow()
        const now = new Date().toISOString()
        insertWorkflow.run(id, org.id, `Workflow ${i}`, api_key.id, now, now, steps, stepIds)
        insertVersion.run(id, `Workflow ${i}`, steps, api_key.id, now)
        lastId = id
      }
    })()
    orgs[label] = { orgId: org.id, secret, workflowId: lastId }
  }
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  sqlite.close()
  return orgs
}
