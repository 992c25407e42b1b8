/**
 * One error class, one body shape, one handler (contract §5). Services and middleware throw
 * `ApiError` with a code from core's catalogue; `handleError` turns anything thrown into the
 * contract's body, and a 500 says nothing of the internals while the log gets the stack.
 */
import { ERROR_CATALOGUE, type ErrorBody, type ErrorCode, type Issue, summarizeIssues } from '@wf/core'
import { DomainError } from '@wf/domain'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from './env.js'

/** A domain error with what HTTP adds: headers to send, and a status where HTTP is more precise. */
export class ApiError extends DomainError {
  constructor(
    code: ErrorCode,
    message: string = ERROR_CATALOGUE[code].message,
    details?: Issue[],
    readonly headers?: Record<string, string>,
    /** Only where HTTP has a more precise status than the catalogue's for this code (431). */
    private readonly statusOverride?: number,
  ) {
    super(code, message, details)
    this.name = 'ApiError'
  }

  get status(): number {
    return this.statusOverride ?? ERROR_CATALOGUE[this.code].status
  }

  /** A 400 whose `error` names the first problems and whose `details` lists them all. */
  static override invalid(issues: Issue[]): ApiError {
    return new ApiError('invalid_request', summarizeIssues(issues), issues)
  }
}

const statusToCode: Record<number, ErrorCode> = Object.fromEntries(
  Object.entries(ERROR_CATALOGUE).map(([code, { status }]) => [status, code as ErrorCode]),
)

function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err
  // The verbs' errors carry the code; its status is decided here, and only here.
  if (err instanceof DomainError) return new ApiError(err.code, err.message, err.details)
  // Hono's own middleware (body limit, …) throws HTTPException: keep its status, use our body.
  if (err instanceof HTTPException && err.status < 500) {
    return new ApiError(statusToCode[err.status] ?? 'invalid_request')
  }
  return undefined
}

export function errorResponse(c: Context<AppEnv>, error: ApiError): Response {
  const body: ErrorBody = { error: error.message, code: error.code, request_id: c.get('requestId') }
  if (error.details) body.details = error.details
  return c.json(body, error.status as 400, error.headers)
}

/**
 * Forgets the route's answer and every header it set (ETag, Location, Allow, …): the error sent
 * instead starts from what every response carries (x-request-id), exactly as if the route had
 * never run. Hono carries the headers of the answer it holds into the next one it builds, so the
 * answer is dropped and a bare one put in its place.
 */
export function discardResponse(c: Context<AppEnv>): void {
  c.res = undefined as unknown as Response
  c.res = new Response(null, { headers: { 'x-request-id': c.get('requestId') } })
}

export function handleError(err: unknown, c: Context<AppEnv>): Response {
  const known = toApiError(err)
  if (known) return errorResponse(c, known)
  c.get('deps').logger.error({
    msg: 'unhandled error',
    request_id: c.get('requestId'),
    method: c.req.method,
    path: c.req.path,
    stack: err instanceof Error ? err.stack : String(err),
  })
  return errorResponse(c, new ApiError('internal'))
}

export function handleNotFound(c: Context<AppEnv>): Response {
  return errorResponse(c, new ApiError('not_found', 'Not found: no such route.'))
}
