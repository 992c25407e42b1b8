/** What the /v1/workflows routes share: their OpenAPI tag, parameters, response shapes and path parameter parsing. */
import { isStepId, type StepId } from '@wf/core'
import type { Context } from 'hono'
import type { AppEnv, Deps } from '../../env.js'
import { ApiError } from '../../errors.js'
import { field } from '../../http/field.js'
import { ifMatchCondition, type VersionCondition } from '../../http/if-match.js'
import { doc, headerParam, ref } from '../../openapi/describe.js'

export const tags = ['Workflows']

export const ifMatchParam = headerParam(
  'If-Match',
  'Write only if the workflow is at this version: "n", W/"n", * or a list of these; otherwise 412.',
)

export const WORKFLOW_RESPONSE = { type: 'object', required: ['workflow'], properties: { workflow: ref('Workflow') } }

/** What any write with a body can answer before its verb runs, or when the body is invalid. */
export const BODY_WRITE_ERRORS = [
  'unauthorized',
  'rate_limited',
  'sandbox_key',
  'payload_too_large',
  'unsupported_media_type',
  'invalid_json',
  'invalid_request',
] as const

/** A change to an existing workflow: the body's errors, and the workflow's. */
export const WRITE_ERRORS = [...BODY_WRITE_ERRORS, 'not_found', 'conflict', 'precondition_failed'] as const

/** PATCH routes: same parameters, success and errors; their own summary, description and body. */
export const updateDoc = (summary: string, description: string, body: string) =>
  doc({
    summary,
    description,
    tags,
    auth: 'key',
    body: ref(body),
    parameters: [ifMatchParam],
    ok: { status: 200, description: 'The updated workflow', schema: WORKFLOW_RESPONSE, headers: { ETag: '"<version>"' } },
    errors: [...WRITE_ERRORS],
  })

export const deps = (c: Context<AppEnv>): Deps => c.get('deps')

/** The caller's If-Match as the verbs' version condition. */
export const versionCondition = (c: Context<AppEnv>): VersionCondition | undefined => ifMatchCondition(field(c, 'if-match'))

/** The step of a URL: one of the catalog's, reported at the path parameter otherwise. */
export function stepIdParam(value: string): StepId {
  if (isStepId(value)) return value
  throw ApiError.invalid([{ path: '/path/step_id', message: `must be one of the catalog's step IDs; "${value}" is not` }])
}

/** A version number of a URL: a positive integer. */
export function versionParam(value: string): number {
  if (/^[1-9]\d{0,8}$/.test(value)) return Number(value)
  throw ApiError.invalid([{ path: '/path/version', message: 'must be a positive integer' }])
}
