/**
 * The Store contract: one vitest suite, independent of the driver. Node runs it on better-sqlite3,
 * on PGlite and on a PostgreSQL server; the edge app runs the same suite on D1 inside workerd.
 * Every test makes its own organizations and ids, so a database shared between tests (or runs) is
 * fine.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { STORE_METHODS, type Store } from '../types.js'
import { idempotencyTests } from './idempotency.js'
import { organizationAndKeyTests } from './keys.js'
import { purgeTests } from './purge.js'
import { updateTests } from './updates.js'
import { workflowTests } from './workflows.js'

export function describeStoreContract(driverName: string, makeStore: () => Promise<Store> | Store): void {
  describe(`Store contract on ${driverName}`, () => {
    let current: Store | undefined
    beforeEach(async () => {
      current = await makeStore()
    })
    const store = (): Store => {
      if (!current) throw new Error('makeStore has not run')
      return current
    }

    it('has every method of the Store interface (STORE_METHODS), as functions', () => {
      const methods = STORE_METHODS.filter((method) => typeof store()[method] === 'function')
      expect(methods).toStrictEqual(STORE_METHODS)
    })

    it('ping resolves', async () => {
      await expect(store().ping()).resolves.toBeUndefined()
    })
    organizationAndKeyTests(store)
    workflowTests(store)
    updateTests(store)
    idempotencyTests(store)
    purgeTests(store)
  })
}
