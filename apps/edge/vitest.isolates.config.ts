// Runs in Node: tests that start workerd themselves — two isolates through Miniflare, the built
// bundle, and the console served by `wrangler dev` beside the Node server (test-isolates/).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { include: ['test-isolates/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 90_000, silent: 'passed-only' },
})
