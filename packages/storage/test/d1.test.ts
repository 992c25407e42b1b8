/** The contract through `drizzle-orm/d1`, over the D1 stand-in: exercises the batch code path. */
import Database from 'better-sqlite3'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { afterEach, describe, expect, it } from 'vitest'
import { describeStoreContract } from '../src/contract/index.js'
import { createStore } from '../src/index.js'
import { MIGRATIONS_FOLDER } from '../src/node.js'
import { applyMigrationsLikeWrangler, fakeD1 } from './fake-d1.js'

const open: Database.Database[] = []
afterEach(() => {
  for (const sqlite of open.splice(0)) sqlite.close()
})

function d1Database() {
  const sqlite = new Database(':memory:')
  open.push(sqlite)
  sqlite.pragma('foreign_keys = ON') // D1 enforces foreign keys
  applyMigrationsLikeWrangler(sqlite, MIGRATIONS_FOLDER)
  // The stand-in only has the methods drizzle calls, not the whole D1Database type.
  return drizzle(fakeD1(sqlite) as never)
}

describeStoreContract('D1 (drizzle-orm/d1 over a stand-in)', () => createStore(d1Database()))

describe('the D1 stand-in', () => {
  it('refuses interactive transactions, as D1 does', async () => {
    const db = d1Database()
    const failure = db.transaction(async (tx) => tx.run(sql`select 1`))
    await expect(failure).rejects.toMatchObject({ cause: { message: expect.stringMatching(/BEGIN/) } })
  })

  it('holds only the plain .sql migrations wrangler applies', () => {
    const sqlite = new Database(':memory:')
    open.push(sqlite)
    expect(applyMigrationsLikeWrangler(sqlite, MIGRATIONS_FOLDER)).toStrictEqual(['0000_init.sql', '0001_idempotency_created_at.sql'])
  })
})
