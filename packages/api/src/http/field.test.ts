import type { Context } from 'hono'
import { describe, expect, it } from 'vitest'
import { field } from './field.js'

// A Request built in JS trims header values itself, so the untrimmed values workerd's parser hands
// the Worker are made here by hand (over HTTP the differential suite sends them).
const context = (value: string | undefined) => ({ req: { header: () => value } }) as unknown as Context

describe('field: a header value without surrounding white space (RFC 9110 §5.5)', () => {
  it.each([
    ['wf_live_abc ', 'wf_live_abc'],
    ['wf_live_abc\t', 'wf_live_abc'],
    [' \t"1" ', '"1"'],
    ['Bearer a b', 'Bearer a b'],
    ['   ', ''],
    ['', ''],
  ])('%j → %j', (value, expected) => {
    expect(field(context(value), 'x')).toBe(expected)
  })

  it('an absent header stays absent', () => {
    expect(field(context(undefined), 'x')).toBeUndefined()
  })
})
