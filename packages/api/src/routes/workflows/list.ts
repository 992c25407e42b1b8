/** GET /v1/workflows: a page of the caller's workflows, newest first (contract §4). */
import { listWorkflows } from '@wf/domain'
import type { Hono } from 'hono'
import type { AppEnv } from '../../env.js'
import { encodeCursor, LIST_LIMIT_MAX, parseListQuery } from '../../http/list-query.js'
import { doc, queryParam, ref } from '../../openapi/describe.js'
import { jsonTextResponse } from '../respond.js'
import { deps, tags } from './shared.js'

export function listRoute(r: Hono<AppEnv>): void {
  r.get(
    '/workflows',
    doc({
      summary: 'List workflows',
      description: 'Newest first. Walk next_cursor to the end to see every workflow that existed when the walk began, each once.',
      tags,
      auth: 'key',
      parameters: [
        queryParam('limit', { type: 'integer', minimum: 1, maximum: LIST_LIMIT_MAX, default: LIST_LIMIT_MAX }, 'Page size.'),
        queryParam('cursor', { type: 'string' }, 'next_cursor of the previous page.'),
        queryParam('status', ref('WorkflowStatus'), 'Only workflows with this status; absent: both.'),
      ],
      ok: {
        status: 200,
        description: 'A page of workflows',
        schema: {
          type: 'object',
          required: ['workflows', 'next_cursor'],
          properties: { workflows: { type: 'array', items: ref('WorkflowSummary') }, next_cursor: { type: ['string', 'null'] } },
        },
      },
      errors: ['unauthorized', 'rate_limited', 'invalid_request'],
    }),
    async (c) => {
      const { workflows, last } = await listWorkflows(deps(c), c.get('caller'), parseListQuery(c.req.query()))
      // Each summary is JSON text built by the store (json_object); the tests check the page
      // against core's WorkflowSummary schema.
      const page = workflows.map((w) => w.json).join(',')
      const cursor = last === null ? 'null' : JSON.stringify(encodeCursor(last))
      return jsonTextResponse(c, `{"workflows":[${page}],"next_cursor":${cursor}}`)
    },
  )
}
