import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Tests decide by counts, never by time: the timeout only catches a hang, so it leaves room for
    // a busy CI machine (the property tests once passed 5 s while other packages built beside them).
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
