/** DELETE /v1/workflows/:id: archive; the record stays readable (contract §4). */
import { archiveWorkflow } from '@wf/domain'
import type { Hono } from 'hono'
import type { AppEnv } from '../../env.js'
import { denySandbox } from '../../middleware/write-body.js'
import { doc } from '../../openapi/describe.js'
import { workflowResponse } from '../respond.js'
import { deps, ifMatchParam, tags, versionCondition, WORKFLOW_RESPONSE } from './shared.js'

export function archiveRoute(r: Hono<AppEnv>): void {
  r.delete(
    '/workflows/:id',
    doc({
      summary: 'Archive a workflow',
      description: 'The record stays readable with status archived. Archiving an archived workflow is 200 and changes nothing.',
      tags,
      auth: 'key',
      parameters: [ifMatchParam],
      ok: { status: 200, description: 'The archived workflow', schema: WORKFLOW_RESPONSE, headers: { ETag: '"<version>"' } },
      errors: ['unauthorized', 'rate_limited', 'sandbox_key', 'not_found', 'precondition_failed'],
    }),
    denySandbox,
    async (c) => workflowResponse(c, await archiveWorkflow(deps(c), c.get('caller'), c.req.param('id'), versionCondition(c))),
  )
}
