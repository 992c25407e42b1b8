import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { oneAtATime } from './one-at-a-time.js'

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('oneAtATime', () => {
  it('runs the tasks of one key one after another, in arrival order, whatever each outcome', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), fails: fc.boolean(), ticks: fc.nat(2) }), { maxLength: 30 }),
        async (tasks) => {
          const run = oneAtATime()
          const running = new Map<string, number>()
          const order: string[] = []
          const settled = await Promise.allSettled(
            tasks.map((t, i) =>
              run(t.key, async () => {
                running.set(t.key, (running.get(t.key) ?? 0) + 1)
                expect(running.get(t.key)).toBe(1) // never two of one key at once
                order.push(`${t.key}${i}`)
                for (let n = 0; n < t.ticks; n++) await tick()
                running.set(t.key, running.get(t.key)! - 1)
                if (t.fails) throw new Error(`task ${i}`)
                return i
              }),
            ),
          )
          for (const [i, s] of settled.entries()) expect(s.status).toBe(tasks[i]!.fails ? 'rejected' : 'fulfilled')
          for (const key of ['a', 'b', 'c']) {
            const mine = order.filter((o) => o.startsWith(key)).map((o) => Number(o.slice(1)))
            expect(mine).toEqual([...mine].sort((x, y) => x - y))
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('does not hold up other keys while one key waits', async () => {
    const run = oneAtATime()
    let release!: () => void
    const slow = run('a', () => new Promise<string>((resolve) => (release = () => resolve('a'))))
    expect(await run('b', async () => 'b')).toBe('b')
    release()
    expect(await slow).toBe('a')
  })
})
