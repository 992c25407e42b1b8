/** GET /v1/workflows/:id (contract §4), with its ETag. */
import { getWorkflowJson } from '@wf/domain'
import type { Hono } from 'hono'
import type { AppEnv } from '../../env.js'
import { doc } from '../../openapi/describe.js'
import { jsonTextResponse } from '../respond.js'
import { deps, tags, WORKFLOW_RESPONSE } from './shared.js'

export function retrieveRoute(r: Hono<AppEnv>): void {
  r.get(
    '/workflows/:id',
    doc({
      summary: 'Retrieve a workflow',
      tags,
      auth: 'key',
      ok: { status: 200, description: 'The workflow', schema: WORKFLOW_RESPONSE, headers: { ETag: '"<version>"' } },
      errors: ['unauthorized', 'rate_limited', 'not_found'],
    }),
    async (c) => {
      // The record as JSON text built by the store; the tests check it against core's Workflow schema.
      const { version, json } = await getWorkflowJson(deps(c), c.get('caller'), c.req.param('id'))
      return jsonTextResponse(c, `{"workflow":${json}}`, 200, version)
    },
  )
}
