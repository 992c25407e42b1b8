/**
 * POST /v1/workflows through `app.request()` over a real in-memory store (contract §4, §5, §8):
 * the created record, validation problems and their paths, JSON parsing, Content-Type and the
 * 64 KiB body limit. Response bodies are checked against core's schemas.
 */
import { describe, expect, it } from 'vitest'
import { FIVE_STEPS } from '../test-support/harness.js'
import { expectError, getWorkflow, jsonOfSize, rawRequest } from '../test-support/helpers.js'
import { RESOLVED_FIVE_STEPS, START, expectWorkflow, useWorkflowApi } from '../test-support/workflow-api.js'

const api = useWorkflowApi()
const { post, list } = api

// ---------------------------------------------------------------------------------------------
describe('POST /v1/workflows — create (§4)', () => {
  it('is 201 with Location and ETag, version 1, created_by the key id, steps resolved in order', async () => {
    const res = await post({ ...FIVE_STEPS, name: '  Standard onboarding \n' })
    const workflow = await expectWorkflow(res, 201)
    expect(res.headers.get('location')).toBe(`/v1/workflows/${workflow.id}`)
    expect(res.headers.get('etag')).toBe('"1"')
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(workflow).toEqual({
      id: expect.stringMatching(/^wf_/),
      name: 'Standard onboarding',
      status: 'active',
      organization_id: api.org.id,
      version: 1,
      created_by: api.org.liveKeyId,
      created_at: START,
      updated_at: START,
      steps: RESOLVED_FIVE_STEPS,
    })
    // The resolved ID_VERIFICATION config lists every field in the contract's order.
    expect(Object.keys(workflow.steps[0]?.config ?? {})).toEqual(Object.keys(RESOLVED_FIVE_STEPS[0]?.config ?? {}))
    // Location points at the record just created.
    expect(await getWorkflow(api.t, api.org.live, workflow.id)).toEqual(workflow)
  })

  // §2: every problem is a detail with a JSON Pointer; nothing is created.
  it.each<[string, unknown, string[]]>([
    ['not an object (array)', [], ['']],
    ['not an object (null)', null, ['']],
    ['name and steps missing', {}, ['/name', '/steps']],
    ['name only white space', { name: ' \t ', steps: [{ id: 'PEP_SANCTIONS' }] }, ['/name']],
    ['name of 256 code points', { name: 'é'.repeat(256), steps: [{ id: 'PEP_SANCTIONS' }] }, ['/name']],
    ['steps empty', { name: 'x', steps: [] }, ['/steps']],
    ['step id in the wrong case', { name: 'x', steps: [{ id: 'id_verification' }] }, ['/steps/0/id']],
    ['duplicate step (at its later occurrence)', { name: 'x', steps: [{ id: 'PEP_SANCTIONS' }, { id: 'FACE_LIVENESS' }, { id: 'PEP_SANCTIONS' }] }, ['/steps/2/id']],
    ['unknown body property', { ...FIVE_STEPS, status: 'archived' }, ['/status']],
    ['unknown config field', { name: 'x', steps: [{ id: 'ID_VERIFICATION', config: { minimum_agee: 20 } }] }, ['/steps/0/config/minimum_agee']],
    ['string for an integer', { name: 'x', steps: [{ id: 'ID_VERIFICATION', config: { minimum_age: '18' } }] }, ['/steps/0/config/minimum_age']],
    ['fraction for an integer', { name: 'x', steps: [{ id: 'ID_VERIFICATION', config: { minimum_age: 18.5 } }] }, ['/steps/0/config/minimum_age']],
    ['out of range', { name: 'x', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 0 } }] }, ['/steps/0/config/confidence_threshold']],
    ['maximum_age under the default minimum_age', { name: 'x', steps: [{ id: 'ID_VERIFICATION', config: { maximum_age: 16 } }] }, ['/steps/0/config/maximum_age']],
    ['config on PEP_SANCTIONS', { name: 'x', steps: [{ id: 'PEP_SANCTIONS', config: { strict: true } }] }, ['/steps/0/config/strict']],
  ])('is 400 invalid_request for %s, at the problem paths', async (_, body, paths) => {
    const error = await expectError(await post(body), 400, 'invalid_request')
    expect(error.details?.map((d) => d.path)).toEqual(expect.arrayContaining(paths))
    expect(error.error).toMatch(/^Invalid request: /)
    expect((await list()).workflows).toEqual([])
  })

  it('is 400 for a name with a lone surrogate (§8)', async () => {
    const error = await expectError(await post('{"name":"ab\\ud800","steps":[{"id":"PEP_SANCTIONS"}]}'), 400, 'invalid_request')
    expect(error.details?.map((d) => d.path)).toEqual(['/name'])
  })

  it('accepts a name of exactly 255 code points after trimming (§8)', async () => {
    const workflow = await expectWorkflow(await post({ name: ` ${'é'.repeat(255)} `, steps: [{ id: 'PEP_SANCTIONS' }] }), 201)
    expect([...workflow.name]).toHaveLength(255)
  })

  // §5: the `error` sentence names the first problems with their paths and counts the rest.
  it('names a single problem in `error`, exactly as the contract example', async () => {
    const body = { name: 'x', steps: [{ id: 'PEP_SANCTIONS' }, { id: 'FACE_LIVENESS', config: { confidence_threshold: 0 } }] }
    const error = await expectError(await post(body), 400, 'invalid_request')
    expect(error.error).toBe('Invalid request: /steps/1/config/confidence_threshold must be an integer from 1 to 100')
    expect(error.details).toEqual([{ path: '/steps/1/config/confidence_threshold', message: 'must be an integer from 1 to 100' }])
  })

  it('names the first three of many problems in `error` and counts the rest: "(and N more problems)"', async () => {
    const body = {
      name: '',
      steps: [
        { id: 'FACE_LIVENESS', config: { confidence_threshold: 0 } },
        { id: 'AGE_ESTIMATION', config: { minimum_age: 0 } },
        { id: 'NOPE' },
      ],
      status: 'active',
    }
    const error = await expectError(await post(body), 400, 'invalid_request')
    const details = error.details ?? []
    expect(details.map((d) => d.path).sort()).toEqual(
      ['/name', '/status', '/steps/0/config/confidence_threshold', '/steps/1/config/minimum_age', '/steps/2/id'].sort(),
    )
    const named = details.slice(0, 3).map((d) => `${d.path} ${d.message}`)
    expect(error.error).toBe(`Invalid request: ${named.join('; ')} (and 2 more problems)`)
  })

  // §5: a body that is not JSON is invalid_json, not invalid_request; an empty body is not JSON.
  it.each([
    ['malformed JSON', '{"name": "x", "steps": ['],
    ['trailing comma', '{"name": "x", "steps": [{"id": "PEP_SANCTIONS"}],}'],
    ['single quotes', "{'name': 'x'}"],
    ['white space only', '   '],
    ['empty string', ''],
  ])('is 400 invalid_json for %s', async (_, text) => {
    const error = await expectError(await post(text), 400, 'invalid_json')
    expect(error.details).toBeUndefined()
  })

  it('is 400 invalid_json without any body', async () => {
    await expectError(await api.t.request('POST', '/v1/workflows', { key: api.org.live }), 400, 'invalid_json')
  })

  // §5 415 / §8: application/json with parameters and application/*+json are JSON; nothing else.
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'Application/JSON',
    'application/merge-patch+json',
    'application/vnd.api+json',
  ])('accepts Content-Type %s', async (type) => {
    await expectWorkflow(await post(FIVE_STEPS, { 'content-type': type }), 201)
  })

  it.each(['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'application/jsonx', 'multipart/form-data'])(
    'is 415 unsupported_media_type for Content-Type %s',
    async (type) => {
      await expectError(await post(FIVE_STEPS, { 'content-type': type }), 415, 'unsupported_media_type')
      expect((await list()).workflows).toEqual([])
    },
  )

  it('is 415 for a body without Content-Type', async () => {
    const res = await rawRequest(api.t, '/v1/workflows', {
      method: 'POST',
      headers: { 'x-api-key': api.org.live },
      body: new TextEncoder().encode(JSON.stringify(FIVE_STEPS)), // bytes: no implied content type
    })
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    await expectError(res, 415, 'unsupported_media_type')
  })

  // §5 413: over 64 KiB is refused before parsing, and before the content-type and JSON checks.
  it('accepts a body of exactly 65536 bytes and refuses 65537 bytes with 413', async () => {
    await expectWorkflow(await post(jsonOfSize(FIVE_STEPS, 65536)), 201)
    await expectError(await post(jsonOfSize(FIVE_STEPS, 65537)), 413, 'payload_too_large')
    expect((await list()).workflows).toHaveLength(1)
  })

  it('answers 413 before 415 and before 400', async () => {
    await expectError(await post(jsonOfSize(FIVE_STEPS, 65537), { 'content-type': 'text/plain' }), 413, 'payload_too_large')
    await expectError(await post(`{"name": ${'x'.repeat(70_000)}`), 413, 'payload_too_large')
    await expectError(await post(jsonOfSize({ name: '', steps: [] }, 65537)), 413, 'payload_too_large')
  })

  it('counts the size in bytes, not characters', async () => {
    // 32769 two-byte characters: 65538 bytes, well under 65536 characters.
    await expectError(await post(`"${'é'.repeat(32_768)}`), 413, 'payload_too_large')
  })

  /** The text as a stream of 4 KiB chunks: no Content-Length, as with chunked transfer encoding. */
  const streamed = (text: string) =>
    rawRequest(api.t, '/v1/workflows', {
      method: 'POST',
      headers: { 'x-api-key': api.org.live, 'content-type': 'application/json' },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          const bytes = new TextEncoder().encode(text)
          for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.slice(i, i + 4096))
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)

  it('applies the same 64 KiB limit to a body streamed without Content-Length', async () => {
    await expectWorkflow(await streamed(jsonOfSize(FIVE_STEPS, 65536)), 201)
    await expectError(await streamed(jsonOfSize(FIVE_STEPS, 65537)), 413, 'payload_too_large')
    await expectError(await streamed(' '.repeat(1_000_000)), 413, 'payload_too_large')
  })

  // §8: with duplicate JSON keys the last wins.
  it('takes the last of duplicate JSON keys', async () => {
    const text =
      '{"name":"First","steps":[{"id":"FACE_LIVENESS","config":{"confidence_threshold":10,"confidence_threshold":90}}],"name":"Second"}'
    const workflow = await expectWorkflow(await post(text), 201)
    expect(workflow.name).toBe('Second')
    expect(workflow.steps).toEqual([{ id: 'FACE_LIVENESS', config: { confidence_threshold: 90 } }])
  })
})
