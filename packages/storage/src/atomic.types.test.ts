// Compile-time checks (run by `tsc --noEmit` in the typecheck task) that a write's values are typed
// end to end: each `@ts-expect-error` line below must fail to compile, or `tsc` reports the
// directive as unused. The runtime assertions keep vitest honest about what the definitions bind.
import Database from 'better-sqlite3'
import { and, eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest'
import { type AtomicWrite, type Bind, bindValues, type Committer, preparedRead, type WriteDefinition } from './atomic.js'
import { groupCommitter } from './drivers/better-sqlite3.js'
import { createStore } from './index.js'
import { organizations, workflows } from './schema.js'
import type { UpdateValues, WorkflowRowValues } from './store.js'

const sqlite = new Database(':memory:')
const db = drizzle(sqlite)
afterAll(() => sqlite.close())

/** A committer that commits nothing: it builds each statement and keeps its bound parameters. */
function recordingCommitter(): Committer & { params: unknown[][] } {
  const params: unknown[][] = []
  return {
    params,
    async run(write, values) {
      const bind = bindValues(values)
      for (const define of write) params.push((define(bind) as unknown as { toSQL(): { params: unknown[] } }).toSQL().params)
      return write.map(() => 1)
    },
  }
}

const row: WorkflowRowValues = {
  id: 'wf_1',
  organization_id: 'org_1',
  name: 'Onboarding',
  status: 'active',
  version: 2,
  created_by: 'key_1',
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:01:00.000Z',
  steps: [],
  step_ids: [],
}

interface OrganizationValues {
  org_id: string
  org_name: string
  created_at: string
}

const insertOrganization: WriteDefinition<OrganizationValues> = (v) =>
  db.insert(organizations).values({ id: v('org_id'), name: v('org_name'), created_at: v('created_at') })

const renameIfUnchanged: WriteDefinition<UpdateValues> = (v) =>
  db
    .update(workflows)
    .set({ name: v('name') })
    .where(and(eq(workflows.id, v('id')), eq(workflows.version, v('expected_version'))))

describe('typed writes', () => {
  it('a definition names only values of its type, each checked against its column', () => {
    const misspelt: WriteDefinition<OrganizationValues> = (v) =>
      // @ts-expect-error 'org_nmae' is misspelt: not a value of OrganizationValues
      db.insert(organizations).values({ id: v('org_id'), name: v('org_nmae'), created_at: v('created_at') })
    const wrongType: WriteDefinition<{ id: number; name: string; at: string }> = (v) =>
      // @ts-expect-error a number for a text column
      db.insert(organizations).values({ id: v('id'), name: v('name'), created_at: v('at') })
    // @ts-expect-error status is 'active' | 'archived' in the schema, not any string
    const wrongEnum: WriteDefinition<{ status: string }> = (v) => db.update(workflows).set({ status: v('status') })
    void [misspelt, wrongType, wrongEnum]
    expectTypeOf<Parameters<Bind<OrganizationValues>>[0]>().toEqualTypeOf<'org_id' | 'org_name' | 'created_at'>()
  })

  it('a write is run with exactly the values its definitions name', async () => {
    const committer = recordingCommitter()
    const write: AtomicWrite<OrganizationValues> = [insertOrganization]
    await committer.run(write, { org_id: 'org_1', org_name: 'Acme', created_at: '2026-01-01T00:00:00.000Z' })
    // @ts-expect-error 'org_nmae' is misspelt: an unknown value, and org_name is missing
    await committer.run(write, { org_id: 'org_2', org_nmae: 'Acme', created_at: '2026-01-01T00:00:00.000Z' })
    // @ts-expect-error org_name is missing
    await committer.run(write, { org_id: 'org_3', created_at: '2026-01-01T00:00:00.000Z' })
    // @ts-expect-error org_name has the wrong type
    await committer.run(write, { org_id: 'org_4', org_name: 4, created_at: '2026-01-01T00:00:00.000Z' })
    expect(committer.params[0]).toStrictEqual(['org_1', 'Acme', '2026-01-01T00:00:00.000Z'])
    // What the misspelt call does when forced through: the name is lost without a word (drizzle
    // leaves an undefined value out of the insert). Only the compiler catches it.
    expect(committer.params[1]).toStrictEqual(['org_2', '2026-01-01T00:00:00.000Z'])
  })

  it('a write of several statements needs every value of all of them', async () => {
    const committer = recordingCommitter()
    const update: AtomicWrite<UpdateValues> = [renameIfUnchanged]
    await committer.run(update, { ...row, expected_version: 1, written_by: 'key_2' })
    // @ts-expect-error expected_version misspelt
    await committer.run(update, { ...row, expected_versoin: 1, written_by: 'key_2' })
    // @ts-expect-error a definition over OrganizationValues does not fit a write over UpdateValues
    const mixed: AtomicWrite<UpdateValues> = [renameIfUnchanged, insertOrganization]
    void mixed
    expect(committer.params[0]).toStrictEqual(['Onboarding', 'wf_1', 1])
  })

  it('a read takes exactly the values its definition names, as a write does', () => {
    const run = (statement: string) => sqlite.exec(statement)
    run('create table organizations (id text primary key, name text not null, created_at text not null)')
    run("insert into organizations values ('org_1', 'Acme', '2026-01-01T00:00:00.000Z')")
    const byId = preparedRead((v: Bind<{ id: string }>) =>
      db
        .select()
        .from(organizations)
        .where(eq(organizations.id, v('id')))
        .prepare(),
    )
    expect(byId().get({ id: 'org_1' })).toMatchObject({ name: 'Acme' })
    // @ts-expect-error 'idd' is misspelt
    expect(() => byId().get({ idd: 'org_1' })).toThrow(/No value for placeholder "id"/)
    const wrongType = preparedRead((v: Bind<{ id: number }>) =>
      db
        .select()
        .from(organizations)
        // @ts-expect-error a number for a text column
        .where(eq(organizations.id, v('id')))
        .prepare(),
    )
    void wrongType
  })

  it("createStore picks D1's batch by itself; any other database names its committer", () => {
    expectTypeOf(createStore).toBeCallableWith(db, groupCommitter(sqlite))
    // @ts-expect-error better-sqlite3 has no batch(): its committer must be given
    expect(() => createStore(db)).toThrow(/batch/)
  })
})
