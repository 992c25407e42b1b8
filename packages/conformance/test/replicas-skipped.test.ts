/**
 * The whole `replicas` project when PostgreSQL or Redis is unreachable (vitest.config.ts probes
 * them; WF_REQUIRE_SERVICES=1 runs the real project instead, which then fails): nothing is
 * started, and this one skipped test says what the project needs.
 */
import { inject, it } from 'vitest'
import '../src/provided.js'

const reason = inject('replicasSkipped') ?? 'replicas project skipped: PostgreSQL or Redis is unreachable'
console.warn(reason)
it.skip(reason, () => {})
