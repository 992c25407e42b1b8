// @wf/storage/testing: a database of its own per run, or a skip (or failure) that says what it needs.
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { DEFAULT_TEST_DATABASE_URL, postgresForTests } from '../src/testing.js'

/** A port nothing listens on. */
const NOWHERE = 'postgres://postgres@127.0.0.1:1/postgres'

describe('postgresForTests', () => {
  it('without a server, gives the reason: the URL it tried and the variables that change it', async () => {
    const result = await postgresForTests({ env: { WF_TEST_DATABASE_URL: NOWHERE } })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.reason).toContain(NOWHERE)
    expect(result.reason).toContain('WF_TEST_DATABASE_URL')
    expect(result.reason).toContain('WF_REQUIRE_SERVICES=1')
  })

  it('without a server, fails when the run requires PostgreSQL', async () => {
    await expect(postgresForTests({ env: { WF_TEST_DATABASE_URL: NOWHERE, WF_REQUIRE_SERVICES: '1' } })).rejects.toThrow(NOWHERE)
  })

  it('hides the password of the URL in its reason', async () => {
    const result = await postgresForTests({ env: { WF_TEST_DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/postgres' } })
    expect(result.ok || result.reason).not.toContain('secret')
  })

  it('refuses a name that is not a plain identifier', async () => {
    await expect(postgresForTests({ name: 'Robert"); drop' })).rejects.toThrow(/name/)
  })

  it('with a server, makes a new database and drops it', async (context) => {
    const result = await postgresForTests({ name: 'testing' })
    if (!result.ok) return context.skip(result.reason)
    expect(result.database).toMatch(/^wf_testing_[a-z0-9]+$/)
    expect(new URL(result.url).pathname).toBe(`/${result.database}`)
    const client = new pg.Client({ connectionString: result.url })
    await client.connect()
    expect((await client.query('select current_database() as name')).rows[0].name).toBe(result.database)
    // Left open on purpose: the drop ends it.
    client.on('error', () => {})
    await result.dropDatabase()
    await client.end().catch(() => {})
    const admin = new pg.Client({ connectionString: process.env.WF_TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL })
    await admin.connect()
    try {
      const { rows } = await admin.query('select 1 from pg_database where datname = $1', [result.database])
      expect(rows).toHaveLength(0)
    } finally {
      await admin.end()
    }
  })
})
