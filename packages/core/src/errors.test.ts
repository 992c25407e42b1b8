import { Compile } from 'typebox/compile'
import { describe, expect, it } from 'vitest'
import { ERROR_CATALOGUE, ERROR_CODES, ErrorBody, errorStatus, SANDBOX_KEY_MESSAGE, summarizeIssues } from './errors.js'

describe('the error catalogue (contract §5)', () => {
  it('maps every code to the status of the contract table', () => {
    expect(Object.fromEntries(ERROR_CODES.map((c) => [c, errorStatus(c)]))).toEqual({
      invalid_json: 400,
      invalid_request: 400,
      unauthorized: 401,
      sandbox_key: 403,
      not_found: 404,
      method_not_allowed: 405,
      conflict: 409,
      precondition_failed: 412,
      payload_too_large: 413,
      unsupported_media_type: 415,
      idempotency_key_reused: 422,
      rate_limited: 429,
      internal: 500,
    })
  })

  it('has the exact sandbox sentence and the rate-limit sentence', () => {
    expect(SANDBOX_KEY_MESSAGE).toBe('This is a sandbox API key. Use a live API key to create or modify resources.')
    expect(ERROR_CATALOGUE.rate_limited.message).toBe('Rate limit exceeded.')
  })

  it('ErrorBody accepts the contract shape and rejects a top-level message field', () => {
    const check = Compile(ErrorBody)
    const body = { error: 'Not found.', code: 'not_found', request_id: 'req_1' }
    expect(check.Check(body)).toBe(true)
    expect(check.Check({ ...body, details: [{ path: '/name', message: 'is required' }] })).toBe(true)
    expect(check.Check({ ...body, message: 'Not found.' })).toBe(false)
    expect(check.Check({ ...body, code: 'teapot' })).toBe(false)
  })
})

describe('summarizeIssues', () => {
  const issue = (n: number) => ({ path: `/steps/${n}/id`, message: 'is required' })
  it('names up to three problems with their paths and counts the rest', () => {
    expect(summarizeIssues([{ path: '/steps/1/config/confidence_threshold', message: 'must be an integer from 1 to 100' }])).toBe(
      'Invalid request: /steps/1/config/confidence_threshold must be an integer from 1 to 100',
    )
    expect(summarizeIssues([issue(0), issue(1), issue(2)])).toBe(
      'Invalid request: /steps/0/id is required; /steps/1/id is required; /steps/2/id is required',
    )
    expect(summarizeIssues([issue(0), issue(1), issue(2), issue(3)])).toMatch(/\(and 1 more problem\)$/)
    expect(summarizeIssues([issue(0), issue(1), issue(2), issue(3), issue(4), issue(5)])).toMatch(/\(and 3 more problems\)$/)
  })
  it('words a problem with the body as a whole without a path', () => {
    expect(summarizeIssues([{ path: '', message: 'must be a JSON object with name and steps' }])).toBe(
      'Invalid request: must be a JSON object with name and steps',
    )
  })
})
