/**
 * Recognising a UNIQUE or PRIMARY KEY conflict, on every engine: the stores turn the conflicts
 * they expect into answers (`idempotency_key_taken`, a lost update), and callers may do the same
 * with theirs (a duplicate id, say) without knowing which engine they run on.
 */

/**
 * True when the error (or its cause: drizzle wraps driver errors) is a UNIQUE or PRIMARY KEY
 * conflict on `table`. SQLite words both the same on every driver (D1 adds a prefix); PostgreSQL
 * (node-postgres and PGlite alike) reports SQLSTATE 23505 with the table's name.
 */
export function isUniqueConflict(error: unknown, table: string): boolean {
  // Duck-typed rather than instanceof: the error may come from another realm (a binding).
  let e = error as { message?: unknown; code?: unknown; table?: unknown; cause?: unknown } | null | undefined
  for (let depth = 0; e && depth < 5; depth++, e = e.cause as typeof e) {
    if (e.code === '23505' && e.table === table) return true
    if (typeof e.message === 'string' && e.message.includes(`UNIQUE constraint failed: ${table}.`)) return true
  }
  return false
}
