import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MIGRATIONS_FOLDER, openDatabase } from './node.js'
import { purgeStatement } from './store.js'

const dir = mkdtempSync(join(tmpdir(), 'wf-storage-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('openDatabase', () => {
  it('creates the folder and opens a file in WAL mode with the busy timeout', () => {
    const { sqlite } = openDatabase(join(dir, 'nested', 'wf.db'))
    try {
      expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000)
      expect(sqlite.pragma('synchronous', { simple: true })).toBe(1) // NORMAL
      expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    } finally {
      sqlite.close()
    }
  })

  it('migrates once: reopening keeps the data and applies nothing again', async () => {
    const path = join(dir, 'reopen.db')
    const first = openDatabase(path)
    await first.store.createOrganization({ id: 'org_1', name: 'Acme', created_at: '2026-01-01T00:00:00.000Z' })
    first.sqlite.close()
    const second = openDatabase(path)
    try {
      expect(await second.store.getOrganization('org_1')).toMatchObject({ name: 'Acme' })
      const migrations = readdirSync(MIGRATIONS_FOLDER).filter((file) => file.endsWith('.sql'))
      expect(migrations.length).toBeGreaterThan(1)
      expect(second.sqlite.prepare('select count(*) as n from __drizzle_migrations').get()).toEqual({ n: migrations.length })
    } finally {
      second.sqlite.close()
    }
  })

  it('creates the indexes, and the list queries use them without sorting', () => {
    const { sqlite } = openDatabase(':memory:')
    try {
      const indexes = sqlite
        .prepare("select name from sqlite_master where type = 'index' and name not like 'sqlite_%' order by name")
        .pluck()
        .all()
      expect(indexes).toStrictEqual([
        'api_keys_key_hash_idx',
        'api_keys_organization_id_idx',
        'idempotency_keys_created_at_idx',
        'workflows_organization_id_id_idx',
        'workflows_organization_id_status_id_idx',
      ])
      const plan = (where: string) =>
        sqlite
          .prepare(`explain query plan select id from workflows where ${where} order by id desc limit 10`)
          .all()
          .map((row) => (row as { detail: string }).detail)
          .join('\n')
      const usesIndex = (name: string) => new RegExp(`USING (COVERING )?INDEX ${name}\\b`)
      expect(plan("organization_id = 'o' and id < 'w'")).toMatch(usesIndex('workflows_organization_id_id_idx'))
      expect(plan("organization_id = 'o' and status = 'active' and id < 'w'")).toMatch(usesIndex('workflows_organization_id_status_id_idx'))
      expect(plan("organization_id = 'o'")).not.toMatch(/TEMP B-TREE/)
    } finally {
      sqlite.close()
    }
  })

  it('the purge walks the created_at index, oldest first, and finds each row by its rowid', () => {
    const { db, sqlite } = openDatabase(':memory:')
    try {
      const { sql, params } = purgeStatement(db, '2026-01-01T00:00:00.000Z', 100).toSQL()
      const plan = sqlite
        .prepare(`explain query plan ${sql}`)
        .all(...params)
        .map((row) => (row as { detail: string }).detail)
        .join('\n')
      expect(plan).toMatch(/SEARCH idempotency_keys USING (COVERING )?INDEX idempotency_keys_created_at_idx \(created_at<\?\)/)
      expect(plan).toMatch(/SEARCH idempotency_keys USING INTEGER PRIMARY KEY \(rowid=\?\)/)
      expect(plan).not.toMatch(/TEMP B-TREE|SCAN idempotency_keys/)
    } finally {
      sqlite.close()
    }
  })

  it('enforces foreign keys: a key needs its organization', async () => {
    const { sqlite, store } = openDatabase(':memory:')
    try {
      const key = {
        id: 'key_1',
        organization_id: 'org_missing',
        mode: 'live' as const,
        name: null,
        prefix: 'wf_live_ab12',
        created_at: '2026-01-01T00:00:00.000Z',
        revoked_at: null,
      }
      await expect(store.createApiKey(key, 'hash')).rejects.toThrow(/FOREIGN KEY/)
    } finally {
      sqlite.close()
    }
  })
})
