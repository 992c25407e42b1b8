/**
 * GET /v1/workflows/{id}/versions and /versions/{n} (contract §4): every version ever written,
 * immutable, newest first, each with the key that wrote it.
 */
import { WorkflowVersion } from '@wf/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { api, newKey, newOrg, type Org, stepConfigPath, workflowPath } from './client.js'
import { expectError, expectSchema, expectWorkflow } from './expect.js'
import { createWorkflow, ISO_MS, UNKNOWN_WORKFLOW_ID, versionsOf } from './fixtures.js'

let org: Org
beforeAll(async () => {
  org = await newOrg()
})

const readVersion = async (id: string, n: number) => {
  const reply = await api('GET', `/v1/workflows/${id}/versions/${n}`, { key: org.live })
  expect(reply.status, reply.text).toBe(200)
  expect(Object.keys(reply.body)).toEqual(['version'])
  expectSchema(WorkflowVersion, reply.body.version, 'version')
  return reply.body.version
}

describe('GET /v1/workflows/{id}/versions', () => {
  it('lists every version newest first, each with the key that wrote it', async () => {
    const second = await newKey(org.id, 'live', 'second')
    const created = await createWorkflow(org.live)
    expectWorkflow(await api('PATCH', workflowPath(created.id), { key: second.secret, body: { name: 'By second' } }))
    expectWorkflow(
      await api('PATCH', stepConfigPath(created.id, 'FACE_LIVENESS'), { key: org.live, body: { config: { confidence_threshold: 90 } } }),
    )
    expectWorkflow(await api('DELETE', workflowPath(created.id), { key: second.secret }))

    const reply = await api('GET', `/v1/workflows/${created.id}/versions`, { key: org.sandbox })
    expect(reply.status).toBe(200)
    expect(Object.keys(reply.body)).toEqual(['versions'])
    const versions = reply.body.versions as WorkflowVersion[]
    for (const v of versions) expectSchema(WorkflowVersion, v, 'version')
    expect(versions.map((v) => [v.version, v.created_by, v.status, v.name])).toEqual([
      [4, second.id, 'archived', 'By second'],
      [3, org.liveKeyId, 'active', 'By second'],
      [2, second.id, 'active', 'By second'],
      [1, org.liveKeyId, 'active', 'Standard onboarding'],
    ])
    expect(versions[3]?.steps).toEqual(created.steps)
    expect(versions[3]?.created_at).toBe(created.created_at)
    expect(versions[1]?.steps[1]).toEqual({ id: 'FACE_LIVENESS', config: { confidence_threshold: 90 } })
    const times = versions.map((v) => Date.parse(v.created_at))
    expect([...times].sort((a, b) => b - a)).toEqual(times)
  })

  it('keeps /versions/1 immutable after later updates', async () => {
    const created = await createWorkflow(org.live)
    const first = await readVersion(created.id, 1)
    expect(first).toEqual({
      version: 1,
      name: created.name,
      status: 'active',
      steps: created.steps,
      created_by: org.liveKeyId,
      created_at: expect.stringMatching(ISO_MS),
    })
    await api('PATCH', workflowPath(created.id), { key: org.live, body: { name: 'Later', steps: [{ id: 'PEP_SANCTIONS' }] } })
    await api('DELETE', workflowPath(created.id), { key: org.live })
    expect(await readVersion(created.id, 1)).toEqual(first)
    expect((await readVersion(created.id, 2)).name).toBe('Later')
    expect((await readVersion(created.id, 3)).status).toBe('archived')
    expect(await versionsOf(org.live, created.id)).toHaveLength(3)
  })

  it.each(['abc', '0', '-1', '1.5', '01', '1e1'])('is 400 invalid_request at /path/version for /versions/%s', async (n) => {
    const created = await createWorkflow(org.live)
    const error = expectError(await api('GET', `/v1/workflows/${created.id}/versions/${n}`, { key: org.live }), 400, 'invalid_request')
    expect(error.details).toEqual([{ path: '/path/version', message: expect.any(String) }])
  })

  it('is 404 for a version that does not exist, and for the versions of an unknown workflow', async () => {
    const created = await createWorkflow(org.live)
    expectError(await api('GET', `/v1/workflows/${created.id}/versions/99`, { key: org.live }), 404, 'not_found')
    expectError(await api('GET', `/v1/workflows/${created.id}/versions/2`, { key: org.live }), 404, 'not_found')
    expectError(await api('GET', `/v1/workflows/${UNKNOWN_WORKFLOW_ID}/versions`, { key: org.live }), 404, 'not_found')
    expectError(await api('GET', `/v1/workflows/${UNKNOWN_WORKFLOW_ID}/versions/1`, { key: org.live }), 404, 'not_found')
  })

  it('adds no version for a write that changes nothing', async () => {
    const created = await createWorkflow(org.live)
    await api('PATCH', workflowPath(created.id), { key: org.live, body: { name: created.name } })
    await api('PATCH', stepConfigPath(created.id, 'FACE_LIVENESS'), { key: org.live, body: { config: {} } })
    expect(await versionsOf(org.live, created.id)).toHaveLength(1)
  })
})
