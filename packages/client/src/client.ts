/** `createClient`: the workflows API with an organization's API key (`x-api-key`). */
import { createTransport, type FetchLike } from './transport.js'
import { workflowsResource } from './workflows.js'

export interface ClientOptions {
  /** Where the API is, e.g. `http://127.0.0.1:3000` (no `/v1`). */
  baseUrl: string
  /** `wf_live_…` (reads and writes) or `wf_sandbox_…` (reads only). */
  apiKey: string
  /** The fetch to use (default: the global one); wrap it to log, trace or test. */
  fetch?: FetchLike | undefined
  /** Attempts after the first for a failure worth retrying (default 2). */
  maxRetries?: number | undefined
  /** Time allowed for each attempt, answer body included (default 30,000 ms). */
  timeoutMs?: number | undefined
  /** Aborts every request of this client. */
  signal?: AbortSignal | undefined
}

export function createClient(options: ClientOptions) {
  if (typeof options.apiKey !== 'string' || options.apiKey === '') throw new TypeError('apiKey is required')
  const transport = createTransport({ ...options, headers: { 'x-api-key': options.apiKey } })
  return { workflows: workflowsResource(transport) }
}

export type Client = ReturnType<typeof createClient>
