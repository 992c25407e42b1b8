// Timestamps from the PostgreSQL drivers become the wire's ISO strings, whatever form they come in.
import { describe, expect, it } from 'vitest'
import { isoFromDriver } from './schema.js'

describe('isoFromDriver', () => {
  it.each([
    ['2026-01-01 00:00:00+00', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01 00:00:00.1+00', '2026-01-01T00:00:00.100Z'],
    ['2026-01-01 00:00:00.123456+00', '2026-01-01T00:00:00.123Z'],
    ['2026-03-29 07:15:00.123+05:45', '2026-03-29T01:30:00.123Z'],
    ['2025-12-31 20:30:00.5-03:30', '2026-01-01T00:00:00.500Z'],
    ['2026-01-01 01:00:00+01', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01 05:30:00+0530', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
  ])('reads PostgreSQL text %s as %s', (text, iso) => {
    expect(isoFromDriver(text)).toBe(iso)
  })

  it('reads a Date', () => {
    expect(isoFromDriver(new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 7)))).toBe('2026-01-01T00:00:00.007Z')
  })

  it('refuses what is not a timestamp', () => {
    expect(() => isoFromDriver('yesterday')).toThrow(/not a timestamp/)
  })
})
