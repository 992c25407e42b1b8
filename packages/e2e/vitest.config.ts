/**
 * The console end to end, in Chromium: project `node` against the Node server and project `edge`
 * against the edge app in workerd, each serving the console at /console/ itself. Each project's
 * global setup starts its target twice (relaxed and tight rate limits) as the conformance suite does.
 */
import { defineConfig } from 'vitest/config'

const include = ['src/**/*.e2e.test.ts']

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'node', include, globalSetup: ['./src/setup/node.ts'] } },
      { extends: true, test: { name: 'edge', include, globalSetup: ['./src/setup/edge.ts'] } },
    ],
    // One browser per test file; the files wait on the browser and the server, not the CPU.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // expect.poll waits for what the page or the API shows; 10 s bounds it (the default, 1 s, is too
    // short for the edge app on a busy 2-core machine).
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
})
