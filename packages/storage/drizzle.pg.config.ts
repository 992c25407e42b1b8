/**
 * `pnpm db:generate` writes the PostgreSQL migrations to drizzle-pg/ (checked in) from
 * src/pg/schema.ts; drizzle's migrator applies them when the store opens (`openPostgres`).
 */
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/pg/schema.ts',
  out: './drizzle-pg',
})
