/** Response helpers shared by the routes. */
import type { Workflow } from '@wf/core'
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import { etag } from '../http/if-match.js'

/** `{ "workflow": … }` with its ETag: every single-workflow response. */
export function workflowResponse(c: Context<AppEnv>, workflow: Workflow, status: 200 | 201 = 200): Response {
  c.header('ETag', etag(workflow.version))
  return c.json({ workflow }, status)
}

/**
 * A body that is already JSON text (a stored idempotent response, or JSON built by SQLite): sent
 * as it is, with `ETag` when it is one workflow's.
 */
export function jsonTextResponse(c: Context<AppEnv>, text: string, status: 200 | 201 = 200, version?: number): Response {
  if (version !== undefined) c.header('ETag', etag(version))
  return c.body(text, status, { 'Content-Type': 'application/json' })
}
