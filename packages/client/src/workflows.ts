/**
 * `wf.workflows`: every workflow endpoint of the contract (§4), records exactly as on the wire.
 *
 * Retries (see transport.ts): reads and archive always; create always, with one Idempotency-Key
 * for all its attempts; a change only when sent with `ifVersion` (If-Match makes it safe), and a
 * 412 after a lost answer is checked against the audit trail (own-write.ts).
 */
import type {
  CreateWorkflowRequest,
  StepConfigs,
  StepId,
  UpdateWorkflowRequest,
  Workflow,
  WorkflowStatus,
  WorkflowSummary,
  WorkflowVersion,
} from '@wf/core'
import type { WfError } from './errors.js'
import { archiveMatcher, type ChangeMatcher, findOwnWrite, stepConfigMatcher, updateMatcher } from './own-write.js'
import type { Transport } from './transport.js'
import { randomUuid } from './uuid.js'

/** What every method takes last. */
export interface RequestOptions {
  /** Stops the call (and its retries) at once; the call rejects with the signal's reason. */
  signal?: AbortSignal | undefined
}

export interface CreateOptions extends RequestOptions {
  /** Sent as Idempotency-Key (1–255 characters); a random UUID when not given. Same on every retry. */
  idempotencyKey?: string | undefined
}

export interface ChangeOptions extends RequestOptions {
  /** The version this change was made against, sent as If-Match: a 412 if the workflow has moved on. Makes the change safe to retry. */
  ifVersion?: number | undefined
}

export interface ListParams extends RequestOptions {
  status?: WorkflowStatus | undefined
  /** 1–1000; the server's default is 1000. */
  limit?: number | undefined
  /** `nextCursor` of the previous page. */
  cursor?: string | undefined
}

export interface ListPage {
  /** Newest first. List items are summaries: `steps` holds step IDs. */
  data: WorkflowSummary[]
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null
}

export interface ListAllParams extends RequestOptions {
  status?: WorkflowStatus | undefined
  /** Workflows fetched per request, 1–1000 (default 100). */
  pageSize?: number | undefined
}

export const DEFAULT_PAGE_SIZE = 100

type WorkflowAnswer = { workflow: Workflow }

export function workflowsResource(transport: Transport) {
  const path = (id: string, ...rest: string[]) =>
    ['/v1/workflows', id, ...rest].map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join('/')
  const read = <T>(p: string, signal: AbortSignal | undefined) =>
    transport.request<T>({ method: 'GET', path: p, safety: 'idempotent', signal })

  /**
   * A change to one workflow. With `ifVersion` it is safe to retry (If-Match), and a 412 after a
   * lost answer is checked against the audit trail; without it, a PATCH is retried only after 429.
   */
  const change = async (
    method: 'PATCH' | 'DELETE',
    id: string,
    p: string,
    body: unknown,
    matches: ChangeMatcher,
    options: ChangeOptions,
  ): Promise<Workflow> => {
    const { ifVersion, signal } = options
    const answer = await transport.request<WorkflowAnswer>({
      method,
      path: p,
      ...(body !== undefined && { body }),
      ...(ifVersion !== undefined && { headers: { 'if-match': `"${ifVersion}"` } }),
      // Archiving twice is archiving once: safe to retry without If-Match too.
      safety: ifVersion !== undefined || method === 'DELETE' ? 'idempotent' : 'unsafe',
      signal,
      ...(ifVersion !== undefined && {
        recover: async (error: WfError, s: AbortSignal | undefined) => {
          const own = await findOwnWrite(transport, id, ifVersion, error, matches, s)
          return own && { workflow: own }
        },
      }),
    })
    return answer.workflow
  }

  const list = async (params: ListParams = {}): Promise<ListPage> => {
    const query = new URLSearchParams()
    if (params.status !== undefined) query.set('status', params.status)
    if (params.limit !== undefined) query.set('limit', String(params.limit))
    if (params.cursor !== undefined) query.set('cursor', params.cursor)
    // toString, not `size`: URLSearchParams.size is missing from browsers before 2023.
    const q = query.toString() === '' ? '' : `?${query}`
    const page = await read<{ workflows: WorkflowSummary[]; next_cursor: string | null }>(`/v1/workflows${q}`, params.signal)
    return { data: page.workflows, nextCursor: page.next_cursor }
  }

  return {
    /** Creates a workflow (live key). Retried safely: every attempt carries the same Idempotency-Key. */
    async create(body: CreateWorkflowRequest, options: CreateOptions = {}): Promise<Workflow> {
      const answer = await transport.request<WorkflowAnswer>({
        method: 'POST',
        path: '/v1/workflows',
        body,
        headers: { 'idempotency-key': options.idempotencyKey ?? randomUuid() },
        safety: 'idempotent',
        // 409 on a create means an earlier attempt with this key is still being processed: ask again.
        alsoRetry: [409],
        signal: options.signal,
      })
      return answer.workflow
    },

    async retrieve(id: string, options: RequestOptions = {}): Promise<Workflow> {
      return (await read<WorkflowAnswer>(path(id), options.signal)).workflow
    },

    /** One page, newest first. */
    list,

    /** Every workflow, newest first, following `next_cursor`: each exactly once, even while others are created. */
    async *listAll(params: ListAllParams = {}): AsyncGenerator<WorkflowSummary, void, undefined> {
      let cursor: string | undefined
      do {
        const page = await list({ status: params.status, limit: params.pageSize ?? DEFAULT_PAGE_SIZE, cursor, signal: params.signal })
        yield* page.data
        cursor = page.nextCursor ?? undefined
      } while (cursor !== undefined)
    },

    /** Renames and/or replaces the steps (live key). An empty change answers the workflow unchanged. */
    async update(id: string, body: UpdateWorkflowRequest, options: ChangeOptions = {}): Promise<Workflow> {
      return change('PATCH', id, path(id), body, updateMatcher(body), options)
    },

    /** Changes the given fields of one step's config; the others keep their values (live key). */
    async updateStepConfig<S extends StepId>(
      id: string,
      stepId: S,
      config: StepConfigs[S],
      options: ChangeOptions = {},
    ): Promise<Workflow> {
      const fields = config as Record<string, unknown>
      return change('PATCH', id, path(id, 'steps', stepId, 'config'), { config }, stepConfigMatcher(stepId, fields), options)
    },

    /** Archives the workflow (live key); archiving an archived workflow changes nothing. Always safe to retry. */
    async archive(id: string, options: ChangeOptions = {}): Promise<Workflow> {
      return change('DELETE', id, path(id), undefined, archiveMatcher, options)
    },

    /** Every version ever written, newest first: the audit trail (`created_by` is the key that wrote each). */
    async versions(id: string, options: RequestOptions = {}): Promise<WorkflowVersion[]> {
      return (await read<{ versions: WorkflowVersion[] }>(path(id, 'versions'), options.signal)).versions
    },

    /** One version, as it was written. */
    async version(id: string, version: number, options: RequestOptions = {}): Promise<WorkflowVersion> {
      return (await read<{ version: WorkflowVersion }>(path(id, 'versions', String(version)), options.signal)).version
    },
  }
}

export type WorkflowsResource = ReturnType<typeof workflowsResource>
