import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests decide by counts, never by time: the timeout only catches a hang.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
