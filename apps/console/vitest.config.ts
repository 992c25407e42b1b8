import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Tests decide by counts, never by time: the timeout only catches a hang (property tests, shell runs).
    testTimeout: 60_000,
  },
})
