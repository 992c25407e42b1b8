/**
 * The order of checks (contract §8), "the first that fails answers":
 *   401 key → 429 rate limit → 404 route → 405 method → 403 sandbox → 413 size → 415 content type
 *   → 400 invalid_json → 400 validation → 404 workflow → 409 archived → 412 If-Match.
 * Each request fails two checks or more and must get the earlier answer. (429 is in
 * rate-limit.test.ts, which has a target with tight limits.)
 */
import type { Workflow } from '@wf/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { api, newOrg, type Org, stepConfigPath, workflowPath } from './client.js'
import { expectError, paths } from './expect.js'
import { createWorkflow, FIVE_STEPS, jsonOfSize, randomKey, UNKNOWN_WORKFLOW_ID } from './fixtures.js'

const OVERSIZED = jsonOfSize(FIVE_STEPS, 65537)
const TEXT = { 'content-type': 'text/plain' }

let org: Org
let workflow: Workflow
beforeEach(async () => {
  org = await newOrg()
  workflow = await createWorkflow(org.live)
})

describe('precedence of checks', () => {
  it('401 before 404 route and 405 method', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nope'],
      ['GET', '/v1/workflows/x/y/z'],
      ['PUT', '/v1/workflows'],
      ['PUT', '/v1/workflows/wf_x'],
    ]) {
      expectError(await api(method ?? '', path ?? ''), 401, 'unauthorized')
    }
  })

  it('401 before 413 and 415: an unknown key with an oversized non-JSON body', async () => {
    expectError(await api('POST', '/v1/workflows', { key: randomKey(), body: OVERSIZED, headers: TEXT }), 401, 'unauthorized')
  })

  it('405 before 413 and 415', async () => {
    expectError(await api('PUT', workflowPath(workflow.id), { key: org.live, body: OVERSIZED, headers: TEXT }), 405, 'method_not_allowed')
  })

  it('403 sandbox before 413, 415, 400 and 404 workflow', async () => {
    const sandbox = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
      api(method, path, { key: org.sandbox, ...(body === undefined ? {} : { body }), headers })
    expectError(await sandbox('POST', '/v1/workflows', OVERSIZED), 403, 'sandbox_key')
    expectError(await sandbox('PATCH', workflowPath(workflow.id), OVERSIZED), 403, 'sandbox_key')
    expectError(await sandbox('PATCH', stepConfigPath(workflow.id, 'FACE_LIVENESS'), OVERSIZED, TEXT), 403, 'sandbox_key')
    expectError(await sandbox('POST', '/v1/workflows', 'x', TEXT), 403, 'sandbox_key')
    expectError(await sandbox('POST', '/v1/workflows', '{'), 403, 'sandbox_key')
    expectError(await sandbox('PATCH', workflowPath(workflow.id), '{"status":"x"}'), 403, 'sandbox_key')
    expectError(await sandbox('DELETE', workflowPath(UNKNOWN_WORKFLOW_ID)), 403, 'sandbox_key')
  })

  it('413 before 415 and 400, also for an unknown workflow', async () => {
    const live = (method: string, path: string, body: string, headers: Record<string, string> = {}) =>
      api(method, path, { key: org.live, body, headers })
    expectError(await live('POST', '/v1/workflows', OVERSIZED, TEXT), 413, 'payload_too_large')
    expectError(await live('PATCH', workflowPath(workflow.id), OVERSIZED, TEXT), 413, 'payload_too_large')
    expectError(await live('POST', '/v1/workflows', `{${' '.repeat(70_000)}`), 413, 'payload_too_large')
    expectError(await live('PATCH', workflowPath(UNKNOWN_WORKFLOW_ID), OVERSIZED), 413, 'payload_too_large')
  })

  it('415 before 400 invalid_json and before 404 workflow', async () => {
    expectError(await api('POST', '/v1/workflows', { key: org.live, body: '{"name":', headers: TEXT }), 415, 'unsupported_media_type')
    expectError(
      await api('PATCH', workflowPath(workflow.id), { key: org.live, body: '{"name":', headers: TEXT }),
      415,
      'unsupported_media_type',
    )
    expectError(
      await api('PATCH', workflowPath(UNKNOWN_WORKFLOW_ID), { key: org.live, body: '{}', headers: TEXT }),
      415,
      'unsupported_media_type',
    )
  })

  it('400 invalid_json before validation and before 404 workflow', async () => {
    expectError(await api('POST', '/v1/workflows', { key: org.live, body: '{"name": "", "steps": [' }), 400, 'invalid_json')
    expectError(await api('PATCH', workflowPath(UNKNOWN_WORKFLOW_ID), { key: org.live, body: '{"status": ' }), 400, 'invalid_json')
  })

  it('400 validation before 404 workflow', async () => {
    const live = (path: string, body: unknown) => api('PATCH', path, { key: org.live, body })
    expectError(await live(workflowPath(UNKNOWN_WORKFLOW_ID), { status: 'archived' }), 400, 'invalid_request')
    expectError(
      await live(stepConfigPath(UNKNOWN_WORKFLOW_ID, 'FACE_LIVENESS'), { config: { confidence_threshold: 0 } }),
      400,
      'invalid_request',
    )
    expectError(await live(stepConfigPath(UNKNOWN_WORKFLOW_ID, 'NOPE'), { config: {} }), 400, 'invalid_request')
    expectError(await api('GET', `/v1/workflows/${UNKNOWN_WORKFLOW_ID}/versions/abc`, { key: org.live }), 400, 'invalid_request')
  })

  it("another organization's workflow: 400 for an invalid body, 404 for a valid one, 404 (not 409) once archived", async () => {
    const other = await newOrg('Other')
    expectError(await api('PATCH', workflowPath(workflow.id), { key: other.live, body: { name: '' } }), 400, 'invalid_request')
    expectError(await api('PATCH', workflowPath(workflow.id), { key: other.live, body: { name: 'x' } }), 404, 'not_found')
    await api('DELETE', workflowPath(workflow.id), { key: org.live })
    expectError(await api('PATCH', workflowPath(workflow.id), { key: other.live, body: { name: 'x' } }), 404, 'not_found')
    expectError(await api('DELETE', workflowPath(workflow.id), { key: other.live }), 404, 'not_found')
  })

  it('409 archived before 412 If-Match, even with a garbage If-Match', async () => {
    await api('DELETE', workflowPath(workflow.id), { key: org.live })
    const patch = (path: string, body: unknown, ifMatch: string) =>
      api('PATCH', path, { key: org.live, body, headers: { 'if-match': ifMatch } })
    expectError(await patch(workflowPath(workflow.id), { name: 'x' }, '"1"'), 409, 'conflict')
    expectError(await patch(workflowPath(workflow.id), {}, 'garbage'), 409, 'conflict')
    expectError(await api('PATCH', workflowPath(workflow.id), { key: org.live, headers: { 'if-match': 'garbage' } }), 409, 'conflict')
    expectError(await patch(stepConfigPath(workflow.id, 'FACE_LIVENESS'), { config: {} }, '"1"'), 409, 'conflict')
  })

  describe('inside the one-step config PATCH: 409 → 412 → step not in workflow 404 → age rule 400', () => {
    let small: Workflow
    beforeEach(async () => {
      small = await createWorkflow(org.live, {
        name: 'Small',
        steps: [{ id: 'FACE_LIVENESS' }, { id: 'ID_VERIFICATION', config: { minimum_age: 30 } }],
      })
    })
    const send = (step: string, config: object, headers: Record<string, string> = {}) =>
      api('PATCH', stepConfigPath(small.id, step), { key: org.live, body: { config }, headers })

    it('409 for a step an archived workflow does not have', async () => {
      await api('DELETE', workflowPath(small.id), { key: org.live })
      expectError(await send('AGE_ESTIMATION', { minimum_age: 20 }), 409, 'conflict')
    })

    it('412 for a step the workflow does not have, and for an age-rule violation, with a stale If-Match', async () => {
      expectError(await send('AGE_ESTIMATION', { minimum_age: 20 }, { 'if-match': '"9"' }), 412, 'precondition_failed')
      expectError(await send('ID_VERIFICATION', { maximum_age: 20 }, { 'if-match': '"9"' }), 412, 'precondition_failed')
    })

    it('400 for the age rule once the workflow, its state and If-Match pass', async () => {
      const error = expectError(await send('ID_VERIFICATION', { maximum_age: 20 }, { 'if-match': '"1"' }), 400, 'invalid_request')
      expect(paths(error)).toEqual(['/config/maximum_age'])
    })

    it("400 for another step's field (checked on the body alone) even when the step is missing", async () => {
      expectError(await send('AGE_ESTIMATION', { confidence_threshold: 50 }), 400, 'invalid_request')
    })
  })
})
