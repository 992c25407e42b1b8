/** POST /v1/workflows: create, optionally idempotent (contract §4). */
import { createWorkflow } from '@wf/domain'
import type { Hono } from 'hono'
import type { AppEnv } from '../../env.js'
import { ApiError } from '../../errors.js'
import { field } from '../../http/field.js'
import { denySandbox, jsonBody, limitBody } from '../../middleware/write-body.js'
import { doc, headerParam, ref } from '../../openapi/describe.js'
import { jsonTextResponse } from '../respond.js'
import { BODY_WRITE_ERRORS, deps, tags, WORKFLOW_RESPONSE } from './shared.js'

const IDEMPOTENCY_KEY_MAX = 255

export function createRoute(r: Hono<AppEnv>): void {
  r.post(
    '/workflows',
    doc({
      summary: 'Create a workflow',
      description:
        'Validates and resolves every step config. With Idempotency-Key, a retry with the same body ' +
        'within 24 hours returns the stored response.',
      tags,
      auth: 'key',
      body: ref('CreateWorkflowRequest'),
      parameters: [headerParam('Idempotency-Key', '1–255 characters; scoped to the organization.')],
      ok: {
        status: 201,
        description: 'Created',
        schema: WORKFLOW_RESPONSE,
        headers: { Location: 'The new workflow.', ETag: 'Its version.', 'Idempotent-Replayed': '"true" on a replay.' },
      },
      errors: [...BODY_WRITE_ERRORS, 'conflict', 'idempotency_key_reused'],
    }),
    denySandbox,
    limitBody,
    jsonBody('invalid'),
    async (c) => {
      const key = field(c, 'idempotency-key')
      if (key !== undefined && (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX)) {
        throw ApiError.invalid([{ path: '/header/Idempotency-Key', message: `must be 1 to ${IDEMPOTENCY_KEY_MAX} characters` }])
      }
      const created = await createWorkflow(deps(c), c.get('caller'), c.get('body'), key)
      c.header('Location', `/v1/workflows/${created.workflowId}`)
      if (created.replayed) c.header('Idempotent-Replayed', 'true')
      // The body as first sent: JSON.stringify of core's Workflow, or the stored answer of a replay.
      return jsonTextResponse(c, created.body, created.status as 201, created.version)
    },
  )
}
