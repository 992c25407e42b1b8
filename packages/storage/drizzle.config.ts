/**
 * `pnpm db:generate` writes SQL migrations to drizzle/ (checked in): drizzle's migrator applies them
 * on Node (it reads meta/_journal.json), `wrangler d1 migrations apply` on D1 (it reads the .sql files).
 */
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/schema.ts',
  out: './drizzle',
})
