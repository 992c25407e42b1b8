/** Query of GET /v1/workflows (contract §4): limit, cursor, status; unknown parameters ignored. */
import type { Issue, WorkflowStatus } from '@wf/core'
import type { ListWorkflowsQuery } from '@wf/storage'
import { ApiError } from '../errors.js'
import { WORKFLOW_ID } from '../ids.js'

export const LIST_LIMIT_MAX = 1000

/** A cursor is the last id of the previous page, base64url-encoded: opaque to clients. */
export function encodeCursor(lastId: string): string {
  return btoa(lastId).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return undefined
  try {
    const id = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))
    return WORKFLOW_ID.test(id) ? id : undefined
  } catch {
    return undefined
  }
}

export function parseListQuery(query: Record<string, string | undefined>): ListWorkflowsQuery {
  const issues: Issue[] = []
  const out: ListWorkflowsQuery = { limit: LIST_LIMIT_MAX }
  if (query.limit !== undefined) {
    if (/^\d{1,4}$/.test(query.limit) && Number(query.limit) >= 1 && Number(query.limit) <= LIST_LIMIT_MAX) {
      out.limit = Number(query.limit)
    } else {
      issues.push({ path: '/query/limit', message: `must be an integer from 1 to ${LIST_LIMIT_MAX}` })
    }
  }
  if (query.status !== undefined) {
    if (query.status === 'active' || query.status === 'archived') out.status = query.status satisfies WorkflowStatus
    else issues.push({ path: '/query/status', message: 'must be one of "active", "archived"' })
  }
  if (query.cursor !== undefined) {
    const before = decodeCursor(query.cursor)
    if (before === undefined) issues.push({ path: '/query/cursor', message: 'must be a next_cursor returned by this API' })
    else out.before = before
  }
  if (issues.length > 0) throw ApiError.invalid(issues)
  return out
}
