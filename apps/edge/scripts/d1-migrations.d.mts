/** Applies the storage package's SQLite migrations to a Miniflare D1 database, as wrangler would. */
export function applyD1Migrations(db: { prepare(sql: string): { run(): Promise<unknown> } }): Promise<void>
