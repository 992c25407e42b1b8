/** PATCH /v1/workflows/:id/steps/:step_id/config: change one step's config (contract §4, §8). */
import { updateStepConfig } from '@wf/domain'
import type { Hono } from 'hono'
import type { AppEnv } from '../../env.js'
import { denySandbox, jsonBody, limitBody } from '../../middleware/write-body.js'
import { workflowResponse } from '../respond.js'
import { deps, stepIdParam, updateDoc, versionCondition } from './shared.js'

export function stepConfigRoute(r: Hono<AppEnv>): void {
  r.patch(
    '/workflows/:id/steps/:step_id/config',
    updateDoc(
      "Update one step's config",
      'The given fields replace those fields; the others keep their values; the result is validated as on create.',
      'UpdateStepConfigRequest',
    ),
    denySandbox,
    limitBody,
    jsonBody('empty-object'),
    async (c) => {
      const stepId = stepIdParam(c.req.param('step_id'))
      const workflow = await updateStepConfig(deps(c), c.get('caller'), c.req.param('id'), stepId, c.get('body'), versionCondition(c))
      return workflowResponse(c, workflow)
    },
  )
}
