/** What each project's global setup (or the `external` project's config) provides to the tests. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** `node`, `edge`, `replicas` or `external`. */
    target: string
    /** The target, with rate limits no test comes near (locally: 1000 a second, burst 1000). */
    baseUrl: string
    /** The target with tight rate limits for the rate-limit tests; the same URL as baseUrl when external. */
    limitedUrl: string
    /**
     * Replicas project only: every replica of the relaxed target (baseUrl is the first) and of the
     * tight one (limitedUrl is the first), all on one database per target. Requests to baseUrl or
     * limitedUrl go to each replica in turn (src/round-robin.ts). Unset elsewhere: one URL each.
     */
    baseUrls?: string[]
    limitedUrls?: string[]
    /** Replicas project without PostgreSQL or Redis: the line saying what it needs (nothing is started). */
    replicasSkipped?: string
    /** `Authorization: Bearer <adminToken>` for /admin/v1. */
    adminToken: string
    /** limitedUrl has a burst of 5 and refills one token every 5 s, so timing-sensitive checks are safe. */
    tightLimits: boolean
    /** Differential project only: the Node server and the edge app, both relaxed limits, both empty at start. */
    nodeUrl: string
    edgeUrl: string
    /** Differential project only: where each test file writes its figures for the run's summary. */
    differentialFigures: string
  }
}

export {}
