/**
 * What only the PostgreSQL store has to show, beyond the contract: its native column types, the
 * indexes, steps kept verbatim, timestamps that do not depend on the session's time zone, and the
 * one value PostgreSQL text cannot hold. Run on PGlite and on a real server alike.
 */
import { describe, expect, it } from 'vitest'
import { newOrganization, newWorkflow, STEPS } from '../src/contract/fixtures.js'
import type { Store } from '../src/types.js'

export interface PostgresUnderTest {
  store: Store
  /** Runs SQL text on the same database and returns its rows. */
  query<T>(text: string, params?: unknown[]): Promise<T[]>
  /** Another store on the same database whose session's time zone is `zone`. */
  storeInTimeZone(zone: string): Promise<{ store: Store; close(): Promise<void> }>
}

export function postgresOnlyTests(pg: () => PostgresUnderTest): void {
  describe('PostgreSQL schema and values', () => {
    it('has the native column types', async () => {
      const columns = await pg().query<{ table_name: string; column_name: string; type: string }>(
        `select table_name, column_name, format_type(atttypid, atttypmod) as type
           from information_schema.columns c
           join pg_attribute a on a.attrelid = (quote_ident(c.table_name))::regclass and a.attname = c.column_name
          where c.table_schema = 'public' and c.column_name in ('created_at', 'updated_at', 'revoked_at', 'steps', 'step_ids', 'version', 'status')
          order by table_name, column_name`,
      )
      const types = Object.fromEntries(columns.map((c) => [`${c.table_name}.${c.column_name}`, c.type]))
      expect(types).toStrictEqual({
        'api_keys.created_at': 'timestamp with time zone',
        'api_keys.revoked_at': 'timestamp with time zone',
        'idempotency_keys.created_at': 'timestamp with time zone',
        'idempotency_keys.status': 'integer',
        'organizations.created_at': 'timestamp with time zone',
        'workflow_versions.created_at': 'timestamp with time zone',
        'workflow_versions.status': 'text',
        'workflow_versions.steps': 'json',
        'workflow_versions.version': 'integer',
        'workflows.created_at': 'timestamp with time zone',
        'workflows.status': 'text',
        'workflows.step_ids': 'text[]',
        'workflows.steps': 'json',
        'workflows.updated_at': 'timestamp with time zone',
        'workflows.version': 'integer',
      })
    })

    it('has the indexes, the purge index among them', async () => {
      const indexes = await pg().query<{ indexname: string; indexdef: string }>(
        `select indexname, indexdef from pg_indexes where schemaname = 'public' and indexname like '%_idx' order by indexname`,
      )
      expect(indexes.map((i) => i.indexname)).toStrictEqual([
        'api_keys_key_hash_idx',
        'api_keys_organization_id_idx',
        'idempotency_keys_created_at_idx',
        'workflows_organization_id_status_id_idx',
      ])
      expect(indexes.find((i) => i.indexname === 'idempotency_keys_created_at_idx')?.indexdef).toMatch(/\(created_at\)$/)
      expect(indexes.find((i) => i.indexname === 'api_keys_key_hash_idx')?.indexdef).toMatch(/^CREATE UNIQUE INDEX/)
    })

    it('refuses a status or a mode outside the enumerations (CHECK)', async () => {
      await expect(
        pg().query(`insert into workflows values ('wf_check', 'org', 'n', 'deleted', 1, 'k', now(), now(), '[]', '{}')`),
      ).rejects.toThrow(/workflows_status_check/)
      const org = await newOrganization(pg().store)
      await expect(
        pg().query(`insert into api_keys values ('key_check', $1, 'test', null, 'p', 'h_check', now(), null)`, [org.id]),
      ).rejects.toThrow(/api_keys_mode_check/)
    })

    it('keeps the steps as the text written (json, not jsonb), in the wire key order', async () => {
      const org = await newOrganization(pg().store)
      const steps = STEPS
      // The test bites: jsonb would reorder these keys (it sorts them by length, then bytes).
      const [asJsonb] = await pg().query<{ text: string }>('select ($1::jsonb)::text as text', [JSON.stringify(steps)])
      expect(Object.keys(JSON.parse(asJsonb!.text)[0].config)).not.toStrictEqual(Object.keys(steps[0]!.config))
      const workflow = newWorkflow(org.id, { steps })
      await pg().store.insertWorkflow(workflow)
      const [row] = await pg().query<{ steps: string; version_steps: string }>(
        `select w.steps::text as steps, v.steps::text as version_steps
           from workflows w join workflow_versions v on v.workflow_id = w.id where w.id = $1`,
        [workflow.id],
      )
      expect(row).toStrictEqual({ steps: JSON.stringify(steps), version_steps: JSON.stringify(steps) })
      expect((await pg().store.getWorkflow(org.id, workflow.id))?.steps).toStrictEqual(steps)
    })

    it('reads ISO timestamps with milliseconds whatever the time zone of the session', async () => {
      const org = await newOrganization(pg().store)
      const workflow = newWorkflow(org.id, { created_at: '2026-03-29T01:30:00.123Z', updated_at: '2026-10-25T00:59:59.999Z' })
      await pg().store.insertWorkflow(workflow)
      for (const zone of ['America/St_Johns', 'Asia/Kathmandu', 'UTC']) {
        const other = await pg().storeInTimeZone(zone)
        try {
          expect(await other.store.getWorkflow(org.id, workflow.id), zone).toStrictEqual(workflow)
          expect(JSON.parse((await other.store.getWorkflowJson(org.id, workflow.id))!.json), zone).toStrictEqual(workflow)
        } finally {
          await other.close()
        }
      }
    })

    it('cannot store U+0000 in text: the write is refused and nothing is written', async () => {
      const org = await newOrganization(pg().store)
      const workflow = newWorkflow(org.id, { name: 'nul \u0000 inside' })
      await expect(pg().store.insertWorkflow(workflow)).rejects.toThrow()
      expect(await pg().store.getWorkflow(org.id, workflow.id)).toBeUndefined()
    })
  })
}
