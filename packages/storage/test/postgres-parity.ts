/**
 * The two JSON reads answer byte for byte what SQLite's do: the same records written to a SQLite
 * store (whose text SQLite's json_object builds) and to a PostgreSQL store (whose text the store
 * builds from the row) read back as the same strings. The API sends these strings as they are, so
 * a client cannot tell the engines apart, key order and escapes included.
 */
import type { Workflow } from '@wf/core'
import { afterAll, describe, expect, it } from 'vitest'
import { newOrganization, newWorkflow, nextVersion, STEPS } from '../src/contract/fixtures.js'
import { openDatabase } from '../src/node.js'
import type { Store } from '../src/types.js'

/** Names that exercise JSON escaping: quotes, backslashes, every control character but NUL, and Unicode beyond ASCII. */
const NAMES = [
  'Onboarding',
  'Quotes " and \\ backslashes / and </script>',
  Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join(''),
  'DEL \u007f, separators \u2028\u2029, accents é ü ß, emoji 😀, CJK 漢字',
]

export function parityTests(postgres: () => Store): void {
  describe('the same bytes as SQLite', () => {
    const sqlite = openDatabase(':memory:')
    afterAll(() => sqlite.sqlite.close())

    /** Runs one write on both stores and checks they agree on its answer. */
    async function both<T>(write: (store: Store) => Promise<T>): Promise<T> {
      const [a, b] = await Promise.all([write(sqlite.store), write(postgres())])
      expect(b).toStrictEqual(a)
      return a
    }

    it('getWorkflowJson and listWorkflows answer the same strings', async () => {
      // The organization's id comes from the fixtures, so one record serves both databases.
      const org = await newOrganization(sqlite.store)
      await postgres().createOrganization(org)
      const written: Workflow[] = []
      for (const [i, name] of NAMES.entries()) {
        const workflow = newWorkflow(org.id, { name, status: i % 2 ? 'archived' : 'active', steps: STEPS.slice(i % STEPS.length) })
        await both((store) => store.insertWorkflow(workflow))
        written.push(workflow)
      }
      // An updated one too: another version, another updated_at, other steps.
      const updated = nextVersion(written[0]!, { name: 'Renamed', steps: [STEPS[2]!, STEPS[0]!] })
      expect(await both((store) => store.updateWorkflow(updated, 1, 'key_editor'))).toBe(true)

      for (const { id } of written) {
        const fromSqlite = await sqlite.store.getWorkflowJson(org.id, id)
        expect(fromSqlite).toBeDefined()
        expect(await postgres().getWorkflowJson(org.id, id)).toStrictEqual(fromSqlite)
      }
      const queries = [
        { limit: 100 },
        { limit: 2 },
        { limit: 100, status: 'active' as const },
        { limit: 100, status: 'archived' as const, before: written[3]!.id },
      ]
      for (const query of queries) {
        const fromSqlite = await sqlite.store.listWorkflows(org.id, query)
        expect(fromSqlite.length).toBeGreaterThan(0)
        expect(await postgres().listWorkflows(org.id, query)).toStrictEqual(fromSqlite)
      }
    })
  })
}
