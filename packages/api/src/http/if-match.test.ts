/**
 * `If-Match` (contract §4, §8): `"n"`, `W/"n"`, `*` and comma-separated lists of these are
 * accepted; any other value, or one that does not match the workflow's version, is a 412.
 * `ifMatchAllows(header, version)` answers "may the write go ahead?".
 */
import { describe, expect, it } from 'vitest'
import { etag, ifMatchAllows } from './if-match.js'

describe('ifMatchAllows', () => {
  it('allows a write without If-Match', () => {
    expect(ifMatchAllows(undefined, 1)).toBe(true)
  })

  // Values that match version 3.
  it.each(['"3"', 'W/"3"', '*', '"1", "3"', '"3", "1"', '"1","3"', 'W/"1", W/"3"', '"1", *', ' "3" ', '"1" ,  "3"'])(
    'allows %s for version 3',
    (header) => {
      expect(ifMatchAllows(header, 3)).toBe(true)
    },
  )

  // Well-formed values that do not match version 3.
  it.each(['"2"', '"4"', 'W/"2"', '"1", "2"', '"30"', '"03"'])('refuses %s for version 3 (does not match)', (header) => {
    expect(ifMatchAllows(header, 3)).toBe(false)
  })

  // Anything that is not "n", W/"n", * or a list of these is refused, wherever it sits in a list.
  it.each([
    '',
    '3',
    '"3',
    '3"',
    "'3'",
    'W/3',
    'w/"3"',
    'W/ "3"',
    '"0"',
    '"-3"',
    '"3.0"',
    '"abc"',
    '**',
    'garbage',
    'garbage, "3"',
    '"3", garbage',
    '"3" "3"',
  ])('refuses the malformed value %j', (header) => {
    expect(ifMatchAllows(header, 3)).toBe(false)
  })

  // Version numbers: both sides of the largest version the parser reads (16 digits).
  it.each([
    ['"1000000000000000"', 1e15, true],
    ['"10000000000000000"', 1e16, false],
  ] as const)('reads %s against version %d: %s', (header, version, allowed) => {
    expect(ifMatchAllows(header, version)).toBe(allowed)
  })
})

describe('etag', () => {
  it.each([
    [1, '"1"'],
    [42, '"42"'],
  ])('etag(%d) is %s, which If-Match accepts for that version only', (version, tag) => {
    expect(etag(version)).toBe(tag)
    expect(ifMatchAllows(etag(version), version)).toBe(true)
    expect(ifMatchAllows(etag(version), version + 1)).toBe(false)
    expect(ifMatchAllows(`W/${etag(version)}`, version)).toBe(true)
  })
})
