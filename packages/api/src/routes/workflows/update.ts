/** PATCH /v1/workflows/:id: rename or replace the steps (contract §4). */
import { updateWorkflow } from '@wf/domain'
import type { Hono } from 'hono'
import type { AppEnv } from '../../env.js'
import { denySandbox, jsonBody, limitBody } from '../../middleware/write-body.js'
import { workflowResponse } from '../respond.js'
import { deps, updateDoc, versionCondition } from './shared.js'

export function updateRoute(r: Hono<AppEnv>): void {
  r.patch(
    '/workflows/:id',
    updateDoc(
      'Update a workflow',
      'Any of name and steps (steps replaces the whole list). A body that changes nothing does not bump the version.',
      'UpdateWorkflowRequest',
    ),
    denySandbox,
    limitBody,
    jsonBody('empty-object'),
    async (c) => {
      const workflow = await updateWorkflow(deps(c), c.get('caller'), c.req.param('id'), c.get('body'), versionCondition(c))
      return workflowResponse(c, workflow)
    },
  )
}
