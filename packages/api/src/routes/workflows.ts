/** /v1/workflows (contract §4): handlers parse HTTP, call a verb, shape the response. */
import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import { ApiError } from '../errors.js'
import { field } from '../http/field.js'
import { encodeCursor, parseListQuery, LIST_LIMIT_MAX } from '../http/list-query.js'
import { denySandbox, jsonBody, limitBody } from '../middleware/write-body.js'
import { doc, headerParam, queryParam, ref } from '../openapi/describe.js'
import * as verbs from '@wf/domain'
import { isStepId, type StepId } from '@wf/core'
import { ifMatchCondition } from '../http/if-match.js'
import { jsonTextResponse, workflowResponse } from './respond.js'

const IDEMPOTENCY_KEY_MAX = 255
const tags = ['Workflows']
const ifMatch = headerParam('If-Match', 'Write only if the workflow is at this version: "n", W/"n", * or a list of these; otherwise 412.')
const WORKFLOW_RESPONSE = { type: 'object', required: ['workflow'], properties: { workflow: ref('Workflow') } }
const WRITE_ERRORS = ['unauthorized', 'rate_limited', 'sandbox_key', 'payload_too_large', 'unsupported_media_type', 'invalid_json', 'invalid_request', 'not_found', 'conflict', 'precondition_failed'] as const

/** PATCH routes: same parameters, success and errors; their own summary, description and body. */
const updateDoc = (summary: string, description: string, body: string) =>
  doc({
    summary,
    description,
    tags,
    auth: 'key',
    body: ref(body),
    parameters: [ifMatch],
    ok: { status: 200, description: 'The updated workflow', schema: WORKFLOW_RESPONSE, headers: { ETag: '"<version>"' } },
    errors: [...WRITE_ERRORS],
  })

export function workflowRoutes() {
  const r = new Hono<AppEnv>()
  const deps = (c: { get(k: 'deps'): AppEnv['Variables']['deps'] }) => c.get('deps')

  r.post(
    '/workflows',
    doc({
      summary: 'Create a workflow',
      description: 'Validates and resolves every step config. With Idempotency-Key, a retry with the same body within 24 hours returns the stored response.',
      tags,
      auth: 'key',
      body: ref('CreateWorkflowRequest'),
      parameters: [headerParam('Idempotency-Key', '1–255 characters; scoped to the organisation.')],
      ok: { status: 201, description: 'Created', schema: WORKFLOW_RESPONSE, headers: { Location: 'The new workflow.', ETag: 'Its version.', 'Idempotent-Replayed': '"true" on a replay.' } },
      errors: ['unauthorized', 'rate_limited', 'sandbox_key', 'payload_too_large', 'unsupported_media_type', 'invalid_json', 'invalid_request', 'conflict', 'idempotency_key_reused'],
    }),
    denySandbox,
    limitBody,
    jsonBody('invalid'),
    async (c) => {
      const key = field(c, 'idempotency-key')
      if (key !== undefined && (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX)) {
        throw ApiError.invalid([{ path: '/header/Idempotency-Key', message: `must be 1 to ${IDEMPOTENCY_KEY_MAX} characters` }])
      }
      const created = await verbs.createWorkflow(deps(c), c.get('caller'), c.get('body'), key)
      c.header('Location', `/v1/workflows/${created.workflowId}`)
      if (created.replayed) c.header('Idempotent-Replayed', 'true')
      return jsonTextResponse(c, created.body, created.status as 201, created.version)
    },
  )

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
      const query = parseListQuery(c.req.query())
      const { workflows, last } = await verbs.listWorkflows(deps(c), c.get('caller'), query)
      const items = workflows.map((w) => w.json).join(',')
      return jsonTextResponse(c, `{"workflows":[${items}],"next_cursor":${last === null ? 'null' : JSON.stringify(encodeCursor(last))}}`)
    },
  )

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
      const { version, json } = await verbs.getWorkflowJson(deps(c), c.get('caller'), c.req.param('id'))
      return jsonTextResponse(c, `{"workflow":${json}}`, 200, version)
    },
  )

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
    async (c) =>
      workflowResponse(c, await verbs.updateWorkflow(deps(c), c.get('caller'), c.req.param('id'), c.get('body'), ifMatchCondition(field(c, 'if-match')))),
  )

  r.delete(
    '/workflows/:id',
    doc({
      summary: 'Archive a workflow',
      description: 'The record stays readable with status archived. Archiving an archived workflow is 200 and changes nothing.',
      tags,
      auth: 'key',
      parameters: [ifMatch],
      ok: { status: 200, description: 'The archived workflow', schema: WORKFLOW_RESPONSE, headers: { ETag: '"<version>"' } },
      errors: ['unauthorized', 'rate_limited', 'sandbox_key', 'not_found', 'precondition_failed'],
    }),
    denySandbox,
    async (c) => workflowResponse(c, await verbs.archiveWorkflow(deps(c), c.get('caller'), c.req.param('id'), ifMatchCondition(field(c, 'if-match')))),
  )

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
    async (c) =>
      workflowResponse(
        c,
        await verbs.updateStepConfig(deps(c), c.get('caller'), c.req.param('id'), stepIdParam(c.req.param('step_id')), c.get('body'), ifMatchCondition(field(c, 'if-match'))),
      ),
  )

  r.get(
    '/workflows/:id/versions',
    doc({
      summary: 'List the versions of a workflow',
      description: 'Every version ever written, newest first; immutable.',
      tags,
      auth: 'key',
      ok: {
        status: 200,
        description: 'The versions',
        schema: { type: 'object', required: ['versions'], properties: { versions: { type: 'array', items: ref('WorkflowVersion') } } },
      },
      errors: ['unauthorized', 'rate_limited', 'not_found'],
    }),
    async (c) => c.json({ versions: await verbs.listVersions(deps(c), c.get('caller'), c.req.param('id')) }),
  )

  r.get(
    '/workflows/:id/versions/:n',
    doc({
      summary: 'Retrieve one version of a workflow',
      tags,
      auth: 'key',
      ok: { status: 200, description: 'The version', schema: { type: 'object', required: ['version'], properties: { version: ref('WorkflowVersion') } } },
      errors: ['unauthorized', 'rate_limited', 'invalid_request', 'not_found'],
    }),
    async (c) => c.json({ version: await verbs.getVersion(deps(c), c.get('caller'), c.req.param('id'), versionParam(c.req.param('n'))) }),
  )

  return r
}

/** The step of a URL: one of the catalog's, reported at the path parameter otherwise. */
function stepIdParam(value: string): StepId {
  if (isStepId(value)) return value
  throw ApiError.invalid([{ path: '/path/step_id', message: `must be one of the catalog's step IDs; "${value}" is not` }])
}

/** A version number of a URL: a positive integer. */
function versionParam(value: string): number {
  if (/^[1-9]\d{0,8}$/.test(value)) return Number(value)
  throw ApiError.invalid([{ path: '/path/version', message: 'must be a positive integer' }])
}
