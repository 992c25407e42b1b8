/**
 * Errors: one `WfError` for every answer that is not a success, with a subclass per code of the
 * contract's table, and two for failures without an answer (connection, timeout). An unknown code
 * still gives a `WfError`, so a newer server never breaks `instanceof WfError`.
 */
import type { ErrorBody, ErrorCode } from '@wf/core'

/** One problem of a 400: where (a JSON Pointer into the request body) and what. */
export interface ErrorDetail {
  path: string
  message: string
}

export interface WfErrorInit {
  status: number
  /** The body's `code`; any string, so an unknown code from a newer server still arrives. */
  code: ErrorCode | (string & {})
  message: string
  details?: readonly ErrorDetail[] | undefined
  requestId?: string | undefined
  /** Seconds, from Retry-After (429). */
  retryAfter?: number | undefined
  headers?: Headers | undefined
}

/** An answer from the API that is not a success. `message` is the body's `error` sentence. */
export class WfError extends Error {
  override name = 'WfError'
  readonly status: number
  readonly code: ErrorCode | (string & {})
  readonly details: readonly ErrorDetail[]
  /** The request's `x-request-id`: quote it when asking about a failure. */
  readonly requestId: string | undefined
  /** How many seconds the server asked to wait (Retry-After), when it said. */
  readonly retryAfter: number | undefined
  readonly headers: Headers | undefined

  constructor(init: WfErrorInit) {
    super(init.message)
    this.status = init.status
    this.code = init.code
    this.details = init.details ?? []
    this.requestId = init.requestId
    this.retryAfter = init.retryAfter
    this.headers = init.headers
  }
}

/** 400 `invalid_request` / `invalid_json`: `details` lists every problem with its JSON Pointer. */
export class ValidationError extends WfError {
  override name = 'ValidationError'
}
/** 401 `unauthorized`: a missing, unknown or revoked key (or admin token). */
export class AuthenticationError extends WfError {
  override name = 'AuthenticationError'
}
/** 403 `sandbox_key`: a write with a sandbox key. */
export class SandboxKeyError extends WfError {
  override name = 'SandboxKeyError'
}
/** 404 `not_found`: no such workflow for this key's organization (or no such route). */
export class NotFoundError extends WfError {
  override name = 'NotFoundError'
}
/** 409 `conflict`: a change to an archived workflow. */
export class ConflictError extends WfError {
  override name = 'ConflictError'
}
/** 412 `precondition_failed`: the workflow is no longer at the version given as `ifVersion`. */
export class PreconditionFailedError extends WfError {
  override name = 'PreconditionFailedError'
}
/** 413 `payload_too_large`: the body is over 64 KiB. */
export class PayloadTooLargeError extends WfError {
  override name = 'PayloadTooLargeError'
}
/** 429 `rate_limited`, after the retries: `retryAfter` says how long the server asked to wait. */
export class RateLimitError extends WfError {
  override name = 'RateLimitError'
}

/** No answer: the connection failed or was cut (after the retries). `cause` is fetch's error. */
export class WfConnectionError extends Error {
  override name = 'WfConnectionError'
}
/** No answer within `timeoutMs` (on the last attempt). */
export class WfTimeoutError extends Error {
  override name = 'WfTimeoutError'
}

const BY_CODE: Record<string, new (init: WfErrorInit) => WfError> = {
  invalid_request: ValidationError,
  invalid_json: ValidationError,
  unauthorized: AuthenticationError,
  sandbox_key: SandboxKeyError,
  not_found: NotFoundError,
  conflict: ConflictError,
  precondition_failed: PreconditionFailedError,
  payload_too_large: PayloadTooLargeError,
  rate_limited: RateLimitError,
}

/** The same classes by status, for an answer whose body is not the contract's (a proxy's 502 page). */
const BY_STATUS: Record<number, new (init: WfErrorInit) => WfError> = {
  400: ValidationError,
  401: AuthenticationError,
  403: SandboxKeyError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  413: PayloadTooLargeError,
  429: RateLimitError,
}

/** Builds the error for a non-2xx answer from its status, headers and (possibly non-JSON) body. */
export function errorFromResponse(status: number, headers: Headers, text: string, retryAfter: number | undefined): WfError {
  const body = parseErrorBody(text)
  const code = body?.code ?? `http_${status}`
  const Class = (body ? BY_CODE[body.code] : undefined) ?? BY_STATUS[status] ?? WfError
  return new Class({
    status,
    code,
    message: body?.error ?? (text.trim().slice(0, 200) || `HTTP ${status}`),
    details: body?.details,
    requestId: body?.request_id ?? headers.get('x-request-id') ?? undefined,
    retryAfter,
    headers,
  })
}

/** The contract's error body, loosely: any `code` string is kept (an unknown one still arrives). */
interface LooseErrorBody extends Pick<ErrorBody, 'error'> {
  code: string
  details?: ErrorDetail[]
  request_id?: string
}

function parseErrorBody(text: string): LooseErrorBody | undefined {
  try {
    const body: unknown = JSON.parse(text)
    if (typeof body !== 'object' || body === null) return undefined
    const { error, code, details, request_id } = body as Record<string, unknown>
    if (typeof error !== 'string' || typeof code !== 'string') return undefined
    return {
      error,
      code,
      ...(Array.isArray(details) && { details: details as ErrorDetail[] }),
      ...(typeof request_id === 'string' && { request_id }),
    }
  } catch {
    return undefined
  }
}
