/**
 * Atomic multi-statement writes, typed, independent of the driver.
 *
 * A write is a list of statements defined once over a typed object of values
 * (`WriteDefinition<V>`): a definition names a value as `v('name')`, and the compiler accepts only
 * the names of `V`, checks each value's type against the column it goes to, and makes the caller
 * pass every value of `V` (a misspelt or missing one fails `tsc`; `atomic.types.test.ts` proves it).
 * Reads are defined the same way (`preparedRead`).
 *
 * How the statements are committed is the driver's business, behind `Committer`:
 * - D1 (`drivers/d1.ts`): one `db.batch([...])`, which D1 runs as one transaction (D1 rejects
 *   BEGIN, so never `db.transaction(async …)`).
 * - better-sqlite3 (`drivers/better-sqlite3.ts`): each definition prepared once, and the writes of
 *   one event-loop turn share one synchronous transaction and one commit (group commit).
 * This file knows neither driver.
 */
import { sql } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'

/** A drizzle SQLite database: `drizzle-orm/better-sqlite3` (sync) or `drizzle-orm/d1` (async). */
export type StoreDatabase = BaseSQLiteDatabase<'sync' | 'async', unknown>

/** An insert, update or delete built on the store's database, not yet run. */
export type Statement = BatchItem<'sqlite'> & {
  prepare(): { run(placeholderValues?: Record<string, unknown>): unknown }
}

/**
 * What a definition calls to name a value of `V`. Typed as the value itself, so drizzle checks it
 * against the column it is written to; at run time it returns either the value (`bindValues`) or a
 * drizzle placeholder of that name, bound later when the prepared statement runs (`placeholders`).
 */
export type Bind<V> = <K extends keyof V & string>(name: K) => V[K]

/** One statement of a write, defined once over the named values `V`. */
export type WriteDefinition<V> = (v: Bind<V>) => Statement

/** The statements of one atomic write, in order, all over the same values. */
export type AtomicWrite<V> = readonly [WriteDefinition<V>, ...WriteDefinition<V>[]]

/** How a driver commits an atomic write. One per connection (or per D1 binding). */
export interface Committer {
  /**
   * Runs the statements of `write` with `values` bound, all or none, and resolves once they are
   * committed to the rows each statement changed, in order. `values` must be exactly what the
   * write's definitions name (`NoInfer`: the definitions decide `V`, not the values passed).
   */
  run<V extends object>(write: AtomicWrite<V>, values: NoInfer<V>): Promise<number[]>
}

/** A `Bind` that returns the values themselves: the statement is built for one run. */
export function bindValues<V>(values: V): Bind<V> {
  return (name) => values[name]
}

/**
 * A `Bind` that returns drizzle placeholders named after the values: the statement can be
 * prepared once and run with any values of `V` (`prepared.run(values)`). The one place where the
 * value type is a stand-in, see `Bind`.
 */
export function placeholders<V>(): Bind<V> {
  return sql.placeholder as unknown as Bind<V>
}

// Reads are typed the same way: a prepared read takes exactly the values its definition names.

/** What drizzle's prepared queries offer: each method takes the values of the placeholders. */
interface PreparedQuery {
  get(values?: Record<string, unknown>): unknown
  all(values?: Record<string, unknown>): unknown
  values(values?: Record<string, unknown>): unknown
}

/** A prepared read whose `get`, `all` and `values` take exactly the values its definition names. */
export interface PreparedRead<P extends PreparedQuery, V> {
  get(values: V): ReturnType<P['get']>
  all(values: V): ReturnType<P['all']>
  values(values: V): ReturnType<P['values']>
}

/**
 * A read defined once over typed values, as writes are (`Bind`), and prepared with placeholders
 * on first use: a misspelt or missing value fails `tsc` here too.
 */
export function preparedRead<V, P extends PreparedQuery>(define: (v: Bind<V>) => P): () => PreparedRead<P, V> {
  // Only the parameter type narrows: drizzle's methods take any record of placeholder values.
  return lazy(() => define(placeholders<V>()) as unknown as PreparedRead<P, V>)
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined
  return () => (value ??= make())
}
