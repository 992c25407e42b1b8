import { afterEach } from 'vitest'
import { describeStoreContract } from './contract/index.js'
import { type OpenedDatabase, openDatabase } from './node.js'

// A fresh, migrated in-memory database per test, closed after it.
const open: OpenedDatabase[] = []
afterEach(() => {
  for (const opened of open.splice(0)) opened.sqlite.close()
})

describeStoreContract('better-sqlite3', () => {
  const opened = openDatabase(':memory:')
  open.push(opened)
  return opened.store
})
