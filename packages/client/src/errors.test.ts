import { ERROR_CATALOGUE, type ErrorCode } from '@wf/core'
import { describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  ConflictError,
  errorFromResponse,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  RateLimitError,
  SandboxKeyError,
  ValidationError,
  WfError,
} from './errors.js'

const body = (code: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ error: `sentence for ${code}`, code, request_id: 'req_body', ...extra })

/** The class every code of the contract's table gives; the others are plain WfErrors. */
const EXPECTED: Record<ErrorCode, typeof WfError> = {
  invalid_json: ValidationError,
  invalid_request: ValidationError,
  unauthorized: AuthenticationError,
  sandbox_key: SandboxKeyError,
  not_found: NotFoundError,
  method_not_allowed: WfError,
  conflict: ConflictError,
  precondition_failed: PreconditionFailedError,
  payload_too_large: PayloadTooLargeError,
  unsupported_media_type: WfError,
  idempotency_key_reused: WfError,
  rate_limited: RateLimitError,
  internal: WfError,
}

describe('errorFromResponse', () => {
  it.each(Object.entries(ERROR_CATALOGUE))('%s gives its class, with status, code, message and request id', (code, { status }) => {
    const e = errorFromResponse(status, new Headers(), body(code), undefined)
    const Class = EXPECTED[code as ErrorCode]
    expect(e).toBeInstanceOf(Class)
    expect(e).toBeInstanceOf(WfError)
    expect(e).toBeInstanceOf(Error)
    expect(e.constructor).toBe(Class)
    expect(e.name).toBe(Class === WfError ? 'WfError' : Class.name)
    expect({ status: e.status, code: e.code, message: e.message, requestId: e.requestId }).toEqual({
      status,
      code,
      message: `sentence for ${code}`,
      requestId: 'req_body',
    })
  })

  it('keeps the details of a 400 and the Retry-After of a 429', () => {
    const details = [{ path: '/steps/0/config/minimum_age', message: 'must be an integer from 0 to 120' }]
    const invalid = errorFromResponse(400, new Headers(), body('invalid_request', { details }), undefined)
    expect(invalid.details).toEqual(details)
    const limited = errorFromResponse(429, new Headers({ 'retry-after': '3' }), body('rate_limited'), 3)
    expect(limited.retryAfter).toBe(3)
    expect(limited.details).toEqual([])
    expect(limited.headers?.get('retry-after')).toBe('3')
  })

  it('an unknown code from a newer server is still a WfError, with that code', () => {
    const e = errorFromResponse(418, new Headers(), body('teapot'), undefined)
    expect(e.constructor).toBe(WfError)
    expect(e.code).toBe('teapot')
    // A known status with an unknown code: the code decides nothing, the status still picks the class.
    expect(errorFromResponse(404, new Headers(), body('gone_fishing'), undefined)).toBeInstanceOf(NotFoundError)
  })

  it("a body that is not the contract's (a proxy's page) is classed by status, with the page's text as the message", () => {
    const e = errorFromResponse(502, new Headers({ 'x-request-id': 'req_header' }), '<html>Bad gateway</html>', undefined)
    expect(e.constructor).toBe(WfError)
    expect({ status: e.status, code: e.code, message: e.message, requestId: e.requestId }).toEqual({
      status: 502,
      code: 'http_502',
      message: '<html>Bad gateway</html>',
      requestId: 'req_header',
    })
    expect(errorFromResponse(429, new Headers(), '', 1)).toBeInstanceOf(RateLimitError)
    expect(errorFromResponse(503, new Headers(), '', undefined).message).toBe('HTTP 503')
    expect(errorFromResponse(400, new Headers(), '{"error": 1}', undefined)).toBeInstanceOf(ValidationError)
  })
})
