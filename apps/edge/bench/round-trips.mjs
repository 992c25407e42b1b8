#!/usr/bin/env node
// How many sequential round trips each keyed route makes on the edge (issue 15), as a table; the
// measurement itself is round-trips-lib.mjs, which test-isolates/round-trips.test.ts also uses.
// Needs the built Worker: pnpm --filter @wf/edge build
// Run: pnpm --filter @wf/edge run round-trips   (TRACE_LATENCY_MS sets the simulated latency, default 30)
import { measureRoundTrips } from './round-trips-lib.mjs'

const latencyMs = Number(process.env.TRACE_LATENCY_MS ?? 30)
const rows = await measureRoundTrips({ latencyMs })
console.log(`simulated latency per binding call: ${latencyMs} ms`)
console.table(
  rows.map(({ route, status, steps, calls }) => ({ route, status, 'sequential round trips': steps, 'calls (step:kind)': calls })),
)
