import { describe, expect, it } from 'vitest'
import { createIdGenerator, pooledRandom, WORKFLOW_ID } from './ids.js'

describe('pooledRandom', () => {
  it('gives fractions in [0, 1) on a 1/256 grid, and refills when the pool runs out', () => {
    const next = pooledRandom(8)
    const values = Array.from({ length: 8 * 50 }, next)
    for (const v of values) {
      expect(v).toBeGreaterThanOrEqual(0)
      expect(v).toBeLessThan(1)
      expect(Number.isInteger(v * 256)).toBe(true)
    }
    // 50 refills of 8 bytes: a pool that were never refilled would repeat itself every 8 values.
    const firstBlock = values.slice(0, 8).join()
    expect(values.slice(8).some((_, i) => values.slice(8 + i * 8, 16 + i * 8).join() !== firstBlock)).toBe(true)
  })

  it('picks each of the 32 ulid characters about equally often', () => {
    const next = pooledRandom()
    const counts = new Array<number>(32).fill(0)
    const n = 64_000
    for (let i = 0; i < n; i++) counts[Math.floor(next() * 32)]!++
    // Chi-square with 31 degrees of freedom: above 70 happens by chance about once in 10,000 runs.
    const expected = n / 32
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0)
    expect(chi2).toBeLessThan(70)
  })
})

describe('createIdGenerator', () => {
  it('makes workflow ids of the contract shape that increase strictly, also within one millisecond', () => {
    const ids = createIdGenerator()
    const made = Array.from({ length: 5_000 }, () => ids.workflow())
    for (const id of made) expect(id).toMatch(WORKFLOW_ID)
    for (let i = 1; i < made.length; i++) expect(made[i]! > made[i - 1]!).toBe(true)
  })

  it('draws fresh randomness for each new millisecond', () => {
    const a = createIdGenerator()
    const b = createIdGenerator()
    // Two generators at the same time: equal random parts would mean no randomness at all.
    expect(a.request().slice(14)).not.toBe(b.request().slice(14))
  })
})
