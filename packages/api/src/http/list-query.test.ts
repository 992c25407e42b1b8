/**
 * The query of GET /v1/workflows (contract §4, §8): `limit` 1–1000 (default 1000), `status`
 * `active` or `archived` (absent: both), `cursor` from `next_cursor` (opaque; a tampered one is a
 * 400, never a 500); unknown parameters are ignored. Problems are reported at `/query/<name>`.
 */
import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors.js'
import { encodeCursor, LIST_LIMIT_MAX, parseListQuery } from './list-query.js'

const ID = 'wf_01KC8Z3Q4RS5T6V7W8X9YZABCD'

/** The issues a query is refused with (fails the test if it is accepted). */
function problems(query: Record<string, string>): { path: string; message: string }[] {
  try {
    parseListQuery(query)
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError)
    const error = err as ApiError
    expect(error.code).toBe('invalid_request')
    expect(error.status).toBe(400)
    expect(error.message).toMatch(/^Invalid request: \/query\//)
    return error.details ?? []
  }
  throw new Error(`accepted ${JSON.stringify(query)}`)
}

describe('parseListQuery', () => {
  it('defaults to the whole list: limit 1000, no status, no cursor', () => {
    expect(LIST_LIMIT_MAX).toBe(1000)
    expect(parseListQuery({})).toEqual({ limit: 1000 })
  })

  // limit: both sides of 1 and of 1000; integers in decimal only.
  it.each([
    ['1', 1],
    ['2', 2],
    ['999', 999],
    ['1000', 1000],
    ['0001', 1],
  ])('accepts limit=%s as %d', (limit, expected) => {
    expect(parseListQuery({ limit })).toEqual({ limit: expected })
  })

  it.each(['0', '1001', '10000', '-1', '+5', '1.5', '1e3', '0x10', 'abc', '', ' 5', '5 ', '٣'])('refuses limit=%j', (limit) => {
    expect(problems({ limit })).toEqual([{ path: '/query/limit', message: 'must be an integer from 1 to 1000' }])
  })

  it.each(['active', 'archived'] as const)('accepts status=%s', (status) => {
    expect(parseListQuery({ status })).toEqual({ limit: 1000, status })
  })

  it.each(['ACTIVE', 'Archived', 'deleted', '', 'active,archived', ' active'])('refuses status=%j', (status) => {
    expect(problems({ status })).toEqual([{ path: '/query/status', message: expect.stringContaining('"active", "archived"') }])
  })

  // cursor: what encodeCursor makes round-trips to the id it names; anything else is refused.
  it('reads a cursor made by encodeCursor back as the id to continue before', () => {
    const cursor = encodeCursor(ID)
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(cursor).not.toContain(ID)
    expect(parseListQuery({ cursor, limit: '2' })).toEqual({ limit: 2, before: ID })
  })

  const b64url = (text: string) => Buffer.from(text, 'latin1').toString('base64url')
  it.each([
    ['empty', ''],
    ['a random word', 'hello'],
    ['one character', 'a'],
    ['outside base64url', 'abc+/='],
    ['padded base64', `${Buffer.from(ID).toString('base64')}=`],
    ['base64 of garbage', b64url('\u0000\u00ff\u00fe garbage')],
    ['base64 of an org id', b64url('org_01KC8Z3Q4RS5T6V7W8X9YZABCD')],
    ['base64 of a lower-case id', b64url(ID.toLowerCase())],
    ['base64 of an id one character short', b64url(ID.slice(0, -1))],
    ['base64 of an id one character long', b64url(`${ID}A`)],
    ['base64 of an id with a letter outside Crockford base32', b64url(`${ID.slice(0, -1)}U`)],
    ['a valid cursor with a character appended', `${encodeCursor(ID)}A`],
    ['65 characters', 'A'.repeat(65)],
    ['very long', 'A'.repeat(10_000)],
  ])('refuses a tampered cursor: %s', (_, cursor) => {
    expect(problems({ cursor })).toEqual([{ path: '/query/cursor', message: expect.any(String) }])
  })

  it('reports every bad parameter at once', () => {
    expect(problems({ limit: '0', status: 'x', cursor: '!' }).map((p) => p.path)).toEqual([
      '/query/limit',
      '/query/status',
      '/query/cursor',
    ])
  })

  it('ignores unknown parameters', () => {
    expect(parseListQuery({ limit: '5', sort: 'asc', page: '2', LIMIT: 'x' })).toEqual({ limit: 5 })
  })
})
