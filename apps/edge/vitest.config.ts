// Tests inside workerd: the storage contract suite on a real (local) D1, and the Worker itself.
import { fileURLToPath } from 'node:url'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { stageConsoleAssets } from './scripts/console-assets.mjs'

const migrations = fileURLToPath(new URL('../../packages/storage/drizzle', import.meta.url))
// wrangler.jsonc's `assets` (the console): made from the console's current build, as build and dev do.
stageConsoleAssets()

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      main: './src/index.ts',
      wrangler: { configPath: './wrangler.jsonc' },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(migrations),
          WF_ADMIN_TOKEN: 'edge-test-admin-token',
          WF_RATE_LIMIT_RPS: '1',
          WF_RATE_LIMIT_BURST: '3',
        },
      },
    })),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    silent: 'passed-only',
    testTimeout: 60_000, // catches a hang only: the tests decide by counts, never by time
    hookTimeout: 60_000,
    setupFiles: ['./test/apply-migrations.ts'],
  },
})
