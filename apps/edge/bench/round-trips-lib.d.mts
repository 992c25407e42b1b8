/** Types of round-trips-lib.mjs, for the tests. */
export interface TracedCall {
  status: number
  // biome-ignore lint/suspicious/noExplicitAny: the JSON bodies of every route, read by the tests as they are
  json: any
  /** Sequential round trips the request made. */
  steps: number
  /** Each call as `step:kind`, in the order they started. */
  calls: string | null
}
export interface TracedWorker {
  call(method: string, path: string, opts?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<TracedCall>
  newKey(): Promise<{ secret: string; id: string }>
  revoke(keyId: string): Promise<TracedCall>
  org: { id: string }
  dispose(): Promise<void>
}
export function startTracedWorker(opts?: { latencyMs?: number }): Promise<TracedWorker>
export function measureRoundTrips(opts?: {
  latencyMs?: number
}): Promise<{ route: string; status: number; steps: number; calls: string | null }[]>
