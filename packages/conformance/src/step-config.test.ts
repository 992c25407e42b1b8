/**
 * PATCH /v1/workflows/{id}/steps/{step_id}/config (contract §4, §8, docs/api-notes.md): the given
 * fields merge onto the stored resolved config; version + 1; a step outside the catalog is 400, one
 * the workflow does not have 404; error paths point into the PATCH body.
 */
import { describe, expect, it } from 'vitest'
import { api, stepConfigPath } from './client.js'
import { expectError, expectWorkflow, paths } from './expect.js'
import { createWorkflow, getWorkflow, RESOLVED_FIVE_STEPS, UNKNOWN_WORKFLOW_ID, useFreshWorkflow, versionsOf } from './fixtures.js'

const fresh = useFreshWorkflow()

const patchConfig = (step: string, body: unknown, id = fresh.created.id) =>
  api('PATCH', stepConfigPath(id, step), { key: fresh.org.live, body })

describe('PATCH /v1/workflows/{id}/steps/{step_id}/config', () => {
  it('merges the given fields onto the stored config, keeping the others: version + 1', async () => {
    const reply = await patchConfig('ID_VERIFICATION', { config: { maximum_age: 60, require_secondary_id: true } })
    const updated = expectWorkflow(reply)
    expect(reply.headers.get('etag')).toBe('"2"')
    expect(updated.version).toBe(2)
    expect(updated.steps[0]).toEqual({
      id: 'ID_VERIFICATION',
      config: { ...RESOLVED_FIVE_STEPS[0]?.config, maximum_age: 60, require_secondary_id: true },
    })
    expect(Object.keys(updated.steps[0]?.config ?? {})).toEqual(Object.keys(RESOLVED_FIVE_STEPS[0]?.config ?? {}))
    expect(updated.steps.slice(1)).toEqual(fresh.created.steps.slice(1))
    const face = expectWorkflow(await patchConfig('FACE_LIVENESS', { config: { confidence_threshold: 55 } }))
    expect(face.version).toBe(3)
    expect(face.steps[1]).toEqual({ id: 'FACE_LIVENESS', config: { confidence_threshold: 55 } })
    expect(face.steps[0]).toEqual(updated.steps[0])
    expect(await getWorkflow(fresh.org.live, fresh.created.id)).toEqual(face)
  })

  it.each(['NOPE', 'id_verification', 'ID_VERIFICATION%20'])('is 400 for step_id %s outside the catalog', async (step) => {
    const error = expectError(await patchConfig(step, { config: {} }), 400, 'invalid_request')
    expect(paths(error)).toEqual(['/path/step_id'])
  })

  it('is 404 for a catalog step the workflow does not have, changing nothing', async () => {
    const small = await createWorkflow(fresh.org.live, { name: 'Small', steps: [{ id: 'FACE_LIVENESS' }] })
    expectError(await patchConfig('AGE_ESTIMATION', { config: { minimum_age: 20 } }, small.id), 404, 'not_found')
    expect(await getWorkflow(fresh.org.live, small.id)).toEqual(small)
  })

  it('is 404 for an unknown workflow', async () => {
    expectError(await patchConfig('FACE_LIVENESS', { config: { confidence_threshold: 20 } }, UNKNOWN_WORKFLOW_ID), 404, 'not_found')
  })

  it('checks minimum_age <= maximum_age against the stored values, at /config/maximum_age', async () => {
    // The stored minimum_age is 21.
    const error = expectError(await patchConfig('ID_VERIFICATION', { config: { maximum_age: 20 } }), 400, 'invalid_request')
    expect(paths(error)).toEqual(['/config/maximum_age'])
    expect(await getWorkflow(fresh.org.live, fresh.created.id)).toEqual(fresh.created)
    expectWorkflow(await patchConfig('ID_VERIFICATION', { config: { maximum_age: 21 } }))
  })

  it.each<[string, string, unknown, string]>([
    ['a value out of range', 'FACE_LIVENESS', { config: { confidence_threshold: 0 } }, '/config/confidence_threshold'],
    ["another step's field", 'ID_VERIFICATION', { config: { confidence_threshold: 50 } }, '/config/confidence_threshold'],
    ['a wrong type', 'ID_VERIFICATION', { config: { require_secondary_id: 'yes' } }, '/config/require_secondary_id'],
    ['a config on PEP_SANCTIONS', 'PEP_SANCTIONS', { config: { x: 1 } }, '/config/x'],
    ['config not an object', 'FACE_LIVENESS', { config: 5 }, '/config'],
    ['a property besides config', 'FACE_LIVENESS', { config: {}, name: 'x' }, '/name'],
    ['{} (config is required)', 'FACE_LIVENESS', {}, '/config'],
    ['an empty body (which is {})', 'FACE_LIVENESS', undefined, '/config'],
  ])('is 400 invalid_request for %s, changing nothing', async (_, step, body, path) => {
    const error = expectError(await patchConfig(step, body), 400, 'invalid_request')
    expect(paths(error)).toContain(path)
    expect(await getWorkflow(fresh.org.live, fresh.created.id)).toEqual(fresh.created)
  })

  it('is 200 without a bump for config {} or for values it already has', async () => {
    expect(expectWorkflow(await patchConfig('ID_VERIFICATION', { config: {} }))).toEqual(fresh.created)
    expect(expectWorkflow(await patchConfig('ID_VERIFICATION', { config: { minimum_age: 21 } }))).toEqual(fresh.created)
    expect(expectWorkflow(await patchConfig('PEP_SANCTIONS', { config: {} }))).toEqual(fresh.created)
    expect(await versionsOf(fresh.org.live, fresh.created.id)).toHaveLength(1)
  })

  it('keeps enable_fraud_analysis forced true when escalation_type goes back to none; the caller can then clear it', async () => {
    expect(fresh.created.steps[0]?.config).toMatchObject({ enable_fraud_analysis: true, escalation_type: 'nfc-passport' })
    const back = expectWorkflow(await patchConfig('ID_VERIFICATION', { config: { escalation_type: 'none' } }))
    expect(back.steps[0]?.config).toMatchObject({ enable_fraud_analysis: true, escalation_type: 'none' })
    const cleared = expectWorkflow(await patchConfig('ID_VERIFICATION', { config: { enable_fraud_analysis: false } }))
    expect(cleared.steps[0]?.config).toMatchObject({ enable_fraud_analysis: false, escalation_type: 'none' })
    expect(cleared.version).toBe(3)
  })

  it('forces enable_fraud_analysis to true when an escalation is set, even if false is given', async () => {
    const plain = await createWorkflow(fresh.org.live, { name: 'Plain', steps: [{ id: 'ID_VERIFICATION' }] })
    const updated = expectWorkflow(
      await patchConfig('ID_VERIFICATION', { config: { escalation_type: 'nfc-passport', enable_fraud_analysis: false } }, plain.id),
    )
    expect(updated.steps[0]?.config).toMatchObject({ enable_fraud_analysis: true, escalation_type: 'nfc-passport' })
  })
})
