// Runs in Node: drives two workerd isolates through Miniflare (see test-isolates/).
import { defineConfig } from 'vitest/config'

export default defineConfig({ test: { include: ['test-isolates/**/*.test.ts'], testTimeout: 60_000, silent: 'passed-only' } })
