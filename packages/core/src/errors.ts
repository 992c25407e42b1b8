/**
 * The error catalogue (contract §5): every machine code, its HTTP status and its default sentence,
 * in one place shared by the API and by other teams' services.
 */
import Type, { type Static } from 'typebox'
import type { Issue } from './issues.js'

export const ERROR_CATALOGUE = {
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  invalid_request: { status: 400, message: 'Invalid request.' },
  unauthorized: { status: 401, message: 'Missing or invalid API key.' },
  sandbox_key: {
    status: 403,
    message: 'This is a sandbox API key. Use a live API key to create or modify resources.',
  },
  not_found: { status: 404, message: 'Not found.' },
  method_not_allowed: { status: 405, message: 'Method not allowed.' },
  conflict: { status: 409, message: 'Conflict.' },
  precondition_failed: { status: 412, message: 'The workflow has changed: If-Match does not match its version.' },
  payload_too_large: { status: 413, message: 'The request body is larger than 64 KiB.' },
  unsupported_media_type: { status: 415, message: 'The request body must be JSON (Content-Type: application/json).' },
  idempotency_key_reused: {
    status: 422,
    message: 'This Idempotency-Key was already used with a different request body.',
  },
  rate_limited: { status: 429, message: 'Rate limit exceeded.' },
  internal: { status: 500, message: 'Internal server error.' },
} as const satisfies Record<string, { status: number; message: string }>

export type ErrorCode = keyof typeof ERROR_CATALOGUE
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[]

/** The exact sentence a write with a sandbox key answers (contract §3). */
export const SANDBOX_KEY_MESSAGE = ERROR_CATALOGUE.sandbox_key.message

export function errorStatus(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].status
}

export const IssueSchema = Type.Object(
  {
    path: Type.String({ description: 'JSON Pointer into the request body ("" for the body as a whole).' }),
    message: Type.String({ description: 'What is wrong and what is allowed.' }),
  },
  { additionalProperties: false, $id: 'Issue' },
)

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'A sentence a person understands; for a 400 it names the first problems.' }),
    code: Type.Enum(ERROR_CODES, { description: 'Machine-readable error code.' }),
    details: Type.Optional(Type.Array(IssueSchema, { description: 'Every problem found (validation errors only).' })),
    request_id: Type.String({ description: 'The x-request-id of this request.' }),
  },
  { additionalProperties: false, $id: 'ErrorBody' },
)
export type ErrorBody = Static<typeof ErrorBody>

const SUMMARY_ISSUES = 3

/**
 * The `error` sentence of a 400: many clients show only `error`, so it names the first problems
 * with their paths, e.g. `Invalid request: /steps/1/config/confidence_threshold must be an integer
 * from 1 to 100 (and 2 more problems)`.
 */
export function summarizeIssues(issues: readonly Issue[]): string {
  if (issues.length === 0) return ERROR_CATALOGUE.invalid_request.message
  const shown = issues
    .slice(0, SUMMARY_ISSUES)
    .map((i) => (i.path === '' ? i.message : `${i.path} ${i.message}`))
    .join('; ')
  const more = issues.length - SUMMARY_ISSUES
  const tail = more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''
  return `Invalid request: ${shown}${tail}`
}
