/** The store a not-yet-admitted request's route sees (writes-after.ts): reads at once, writes only once admitted. */
import { STORE_METHODS, STORE_WRITES, type Store } from '@wf/storage'
import { describe, expect, it } from 'vitest'
import { writesAfter } from './writes-after.js'

/** A store recording which methods were called, and with what. */
function recordingStore() {
  const calls: [string, unknown[]][] = []
  const store = Object.fromEntries(
    STORE_METHODS.map((name) => [
      name,
      async (...args: unknown[]) => {
        calls.push([name, args])
        return name
      },
    ]),
  ) as unknown as Store
  return { store, calls }
}

function gate() {
  let admit!: () => void
  let refuse!: (e: Error) => void
  const admitted = new Promise<void>((resolve, reject) => {
    admit = resolve
    refuse = reject
  })
  admitted.catch(() => {})
  return { admitted, admit: () => admit(), refuse: (e: Error) => refuse(e) }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('writesAfter', () => {
  it('classifies every store method, and the writes are those that change rows', () => {
    expect(STORE_WRITES).toStrictEqual([
      'createOrganization',
      'createApiKey',
      'revokeApiKey',
      'insertWorkflow',
      'updateWorkflow',
      'purgeIdempotencyRecords',
    ])
  })

  it('passes every read through at once, with its arguments', async () => {
    const { store, calls } = recordingStore()
    const g = gate()
    const gated = writesAfter(store, g.admitted)
    for (const name of STORE_METHODS.filter((m) => !STORE_WRITES.includes(m))) {
      const method = gated[name] as unknown as (...a: unknown[]) => Promise<unknown>
      expect(await method('a', 1)).toBe(name)
    }
    expect(calls.map(([name]) => name)).toStrictEqual(STORE_METHODS.filter((m) => !STORE_WRITES.includes(m)))
    expect(calls.every(([, args]) => args[0] === 'a' && args[1] === 1)).toBe(true)
  })

  it('holds every write until admitted, then makes it', async () => {
    const { store, calls } = recordingStore()
    const g = gate()
    const gated = writesAfter(store, g.admitted)
    const pending = STORE_WRITES.map((name) => (gated[name] as unknown as (...a: unknown[]) => Promise<unknown>)('w'))
    await settle()
    expect(calls).toStrictEqual([])
    g.admit()
    expect(await Promise.all(pending)).toStrictEqual([...STORE_WRITES])
    expect(calls.map(([name]) => name)).toStrictEqual([...STORE_WRITES])
  })

  it('never makes a write of a refused request, and reports the refusal', async () => {
    const { store, calls } = recordingStore()
    const g = gate()
    const gated = writesAfter(store, g.admitted)
    const pending = STORE_WRITES.map((name) => (gated[name] as unknown as (...a: unknown[]) => Promise<unknown>)('w'))
    g.refuse(new Error('refused'))
    for (const p of pending) await expect(p).rejects.toThrow('refused')
    expect(calls).toStrictEqual([])
  })
})
