import { describe, expect, it } from 'vitest'
import { describeDatabase, readSettings, SettingsError } from './settings.js'

const read = (env: Record<string, string>) => readSettings(env, '/srv/wf')
const PG = 'postgres://wf:s3cret@db.internal:5432/wf'

describe('readSettings: where the data lives', () => {
  it('is the SQLite file by default, under the folder the server starts in', () => {
    expect(read({}).database).toStrictEqual({ engine: 'sqlite', path: '/srv/wf/data/wf.sqlite' })
    expect(read({ WF_DB_PATH: 'other.db' }).database).toStrictEqual({ engine: 'sqlite', path: '/srv/wf/other.db' })
  })

  it('is PostgreSQL when WF_DATABASE_URL is set (postgres:// or postgresql://), pool of 10 unless WF_DATABASE_POOL_SIZE says', () => {
    expect(read({ WF_DATABASE_URL: PG }).database).toStrictEqual({ engine: 'postgres', url: PG, poolSize: 10 })
    const other = 'postgresql://localhost/wf'
    expect(read({ WF_DATABASE_URL: other, WF_DATABASE_POOL_SIZE: '1' }).database).toStrictEqual({
      engine: 'postgres',
      url: other,
      poolSize: 1,
    })
  })

  it.each([
    [{ WF_DATABASE_URL: 'mysql://localhost/wf' }, /WF_DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/, got mysql:\/\//],
    [{ WF_DATABASE_URL: 'not a url' }, /WF_DATABASE_URL is not a URL/],
    [{ WF_DATABASE_URL: PG, WF_DB_PATH: 'x.db' }, /not both/],
    [{ WF_DATABASE_POOL_SIZE: '5' }, /PostgreSQL only/],
    [{ WF_DATABASE_URL: PG, WF_DATABASE_POOL_SIZE: '0' }, /WF_DATABASE_POOL_SIZE must be a positive number/],
    [{ WF_DATABASE_URL: PG, WF_DATABASE_POOL_SIZE: '2.5' }, /whole number/],
    [{ WF_REDIS_URL: 'http://localhost:6379' }, /WF_REDIS_URL must start with redis:\/\/ or rediss:\/\//],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => read(env)).toThrow(SettingsError)
    expect(() => read(env)).toThrow(message)
  })

  it('never repeats a password in a refusal', () => {
    for (const env of [{ WF_DATABASE_URL: 'mysql://wf:s3cret@h/wf' }, { WF_DATABASE_URL: 'pg:s3cret' }]) {
      expect(() => read(env)).toThrow(SettingsError)
      try {
        read(env)
      } catch (e) {
        expect((e as Error).message).not.toContain('s3cret')
      }
    }
  })

  it('describes PostgreSQL for the log without the password', () => {
    expect(describeDatabase(read({ WF_DATABASE_URL: PG }).database)).toBe('postgres://wf@db.internal:5432/wf')
    expect(describeDatabase(read({}).database)).toBe('/srv/wf/data/wf.sqlite')
  })
})

describe('readSettings: the rate-limit store', () => {
  it('defaults to the fastest store every replica shares: redis, else postgres, else memory', () => {
    expect(read({}).rateLimitStore).toBe('memory')
    expect(read({ WF_DATABASE_URL: PG }).rateLimitStore).toBe('postgres')
    expect(read({ WF_DATABASE_URL: PG, WF_REDIS_URL: 'redis://127.0.0.1:6379' }).rateLimitStore).toBe('redis')
    expect(read({ WF_REDIS_URL: 'redis://127.0.0.1:6379' }).rateLimitStore).toBe('redis')
  })

  it('takes WF_RATE_LIMIT_STORE when it can be honoured', () => {
    expect(read({ WF_DATABASE_URL: PG, WF_RATE_LIMIT_STORE: 'memory' }).rateLimitStore).toBe('memory')
    expect(read({ WF_DATABASE_URL: PG, WF_REDIS_URL: 'redis://r', WF_RATE_LIMIT_STORE: 'postgres' }).rateLimitStore).toBe('postgres')
    expect(() => read({ WF_RATE_LIMIT_STORE: 'redis' })).toThrow('WF_RATE_LIMIT_STORE=redis needs WF_REDIS_URL')
    expect(() => read({ WF_RATE_LIMIT_STORE: 'postgres' })).toThrow('WF_RATE_LIMIT_STORE=postgres needs WF_DATABASE_URL')
    expect(() => read({ WF_RATE_LIMIT_STORE: 'Redis' })).toThrow('WF_RATE_LIMIT_STORE must be one of memory, redis, postgres, got "Redis"')
  })
})
