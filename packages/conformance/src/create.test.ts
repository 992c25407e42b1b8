/**
 * POST /v1/workflows (contract §2, §4, §5, §8): the created record, validation problems with their
 * paths and the `error` sentence, JSON parsing, Content-Type, and the 64 KiB body limit.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { api, newOrg, type Org } from './client.js'
import { expectError, expectWorkflow, paths } from './expect.js'
import { FIVE_STEPS, getWorkflow, ISO_MS, jsonOfSize, list, RESOLVED_FIVE_STEPS } from './fixtures.js'

let org: Org
beforeAll(async () => {
  org = await newOrg()
})

const post = (body: unknown, headers: Record<string, string> = {}, key = org.live) => api('POST', '/v1/workflows', { key, body, headers })

/** A fresh organization for tests that count what was created. */
const freshPost = async () => {
  const mine = await newOrg()
  return {
    post: (body: unknown, headers: Record<string, string> = {}) => post(body, headers, mine.live),
    count: async () => (await list(mine.live)).workflows.length,
  }
}

describe('POST /v1/workflows — create', () => {
  it('is 201 with Location and ETag, version 1, created_by the key id, steps resolved in order', async () => {
    const reply = await post({ ...FIVE_STEPS, name: '  Standard onboarding \n' })
    const workflow = expectWorkflow(reply, 201)
    expect(reply.headers.get('location')).toBe(`/v1/workflows/${workflow.id}`)
    expect(reply.headers.get('etag')).toBe('"1"')
    expect(workflow).toEqual({
      id: expect.stringMatching(/^wf_/),
      name: 'Standard onboarding',
      status: 'active',
      organization_id: org.id,
      version: 1,
      created_by: org.liveKeyId,
      created_at: expect.stringMatching(ISO_MS),
      updated_at: workflow.created_at,
      steps: RESOLVED_FIVE_STEPS,
    })
    expect(Object.keys(workflow)).toEqual([
      'id',
      'name',
      'status',
      'organization_id',
      'version',
      'created_by',
      'created_at',
      'updated_at',
      'steps',
    ])
    expect(Object.keys(workflow.steps[0]?.config ?? {})).toEqual(Object.keys(RESOLVED_FIVE_STEPS[0]?.config ?? {}))
    expect(Math.abs(Date.parse(workflow.created_at) - Date.now())).toBeLessThan(5 * 60_000)
    expect(await getWorkflow(org.live, workflow.id)).toEqual(workflow)
  })

  it('makes IDs that increase with creation time', async () => {
    const a = expectWorkflow(await post(FIVE_STEPS), 201)
    const b = expectWorkflow(await post(FIVE_STEPS), 201)
    expect(b.id > a.id).toBe(true)
  })

  it.each<[string, unknown, string[]]>([
    ['not an object (array)', [], ['']],
    ['not an object (null)', null, ['']],
    ['name and steps missing', {}, ['/name', '/steps']],
    ['name only white space', { name: ' \t ', steps: [{ id: 'PEP_SANCTIONS' }] }, ['/name']],
    ['name of 256 code points', { name: 'é'.repeat(256), steps: [{ id: 'PEP_SANCTIONS' }] }, ['/name']],
    ['steps empty', { name: 'x', steps: [] }, ['/steps']],
    ['steps not an array', { name: 'x', steps: 'ID_VERIFICATION' }, ['/steps']],
    ['step id in the wrong case', { name: 'x', steps: [{ id: 'id_verification' }] }, ['/steps/0/id']],
    [
      'duplicate step (at its later occurrence)',
      { name: 'x', steps: [{ id: 'PEP_SANCTIONS' }, { id: 'FACE_LIVENESS' }, { id: 'PEP_SANCTIONS' }] },
      ['/steps/2/id'],
    ],
    ['unknown body property', { ...FIVE_STEPS, status: 'archived' }, ['/status']],
    ['organization_id in the body', { ...FIVE_STEPS, organization_id: 'org_x' }, ['/organization_id']],
    [
      'unknown config field',
      { name: 'x', steps: [{ id: 'ID_VERIFICATION', config: { minimum_agee: 20 } }] },
      ['/steps/0/config/minimum_agee'],
    ],
    [
      'string for an integer',
      { name: 'x', steps: [{ id: 'ID_VERIFICATION', config: { minimum_age: '18' } }] },
      ['/steps/0/config/minimum_age'],
    ],
    [
      'fraction for an integer',
      { name: 'x', steps: [{ id: 'ID_VERIFICATION', config: { minimum_age: 18.5 } }] },
      ['/steps/0/config/minimum_age'],
    ],
    [
      'out of range',
      { name: 'x', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 0 } }] },
      ['/steps/0/config/confidence_threshold'],
    ],
    [
      'maximum_age under the default minimum_age',
      { name: 'x', steps: [{ id: 'ID_VERIFICATION', config: { maximum_age: 16 } }] },
      ['/steps/0/config/maximum_age'],
    ],
    ['config on PEP_SANCTIONS', { name: 'x', steps: [{ id: 'PEP_SANCTIONS', config: { strict: true } }] }, ['/steps/0/config/strict']],
    ['config not an object', { name: 'x', steps: [{ id: 'FACE_LIVENESS', config: 5 }] }, ['/steps/0/config']],
  ])('is 400 invalid_request for %s, at the problem paths, creating nothing', async (_, body, expected) => {
    const mine = await freshPost()
    const error = expectError(await mine.post(body), 400, 'invalid_request')
    expect(paths(error)).toEqual(expect.arrayContaining(expected))
    for (const detail of error.details ?? []) expect(detail.message).toEqual(expect.any(String))
    expect(error.error).toMatch(/^Invalid request: /)
    expect(await mine.count()).toBe(0)
  })

  it('is 400 for a name with a lone surrogate', async () => {
    const error = expectError(await post('{"name":"ab\\ud800","steps":[{"id":"PEP_SANCTIONS"}]}'), 400, 'invalid_request')
    expect(paths(error)).toEqual(['/name'])
  })

  // Every engine answers alike: PostgreSQL's text cannot hold U+0000, so no engine accepts it.
  it('is 400 for a name with U+0000, and writes nothing; U+0001 is a name like any other', async () => {
    const mine = await freshPost()
    const error = expectError(await mine.post('{"name":"ab\\u0000c","steps":[{"id":"PEP_SANCTIONS"}]}'), 400, 'invalid_request')
    expect(error.details).toEqual([{ path: '/name', message: 'must not contain the character U+0000 (NUL)' }])
    expect(await mine.count()).toBe(0)
    expect(expectWorkflow(await mine.post('{"name":"ab\\u0001c","steps":[{"id":"PEP_SANCTIONS"}]}'), 201).name).toBe('ab\u0001c')
  })

  it('accepts a name of exactly 255 code points after trimming', async () => {
    const workflow = expectWorkflow(await post({ name: ` ${'é'.repeat(255)} `, steps: [{ id: 'PEP_SANCTIONS' }] }), 201)
    expect([...workflow.name]).toHaveLength(255)
  })

  it('names a single problem in `error`, exactly as the contract example', async () => {
    const body = { name: 'x', steps: [{ id: 'PEP_SANCTIONS' }, { id: 'FACE_LIVENESS', config: { confidence_threshold: 0 } }] }
    const error = expectError(await post(body), 400, 'invalid_request')
    expect(error.error).toBe('Invalid request: /steps/1/config/confidence_threshold must be an integer from 1 to 100')
    expect(error.details).toEqual([{ path: '/steps/1/config/confidence_threshold', message: 'must be an integer from 1 to 100' }])
  })

  it('names the first three of many problems in `error` and counts the rest', async () => {
    const body = {
      name: '',
      steps: [
        { id: 'FACE_LIVENESS', config: { confidence_threshold: 0 } },
        { id: 'AGE_ESTIMATION', config: { minimum_age: 0 } },
        { id: 'NOPE' },
      ],
      status: 'active',
    }
    const error = expectError(await post(body), 400, 'invalid_request')
    const details = error.details ?? []
    expect(paths(error).sort()).toEqual(
      ['/name', '/status', '/steps/0/config/confidence_threshold', '/steps/1/config/minimum_age', '/steps/2/id'].sort(),
    )
    const named = details.slice(0, 3).map((d) => `${d.path} ${d.message}`)
    expect(error.error).toBe(`Invalid request: ${named.join('; ')} (and 2 more problems)`)
  })

  it.each([
    ['malformed JSON', '{"name": "x", "steps": ['],
    ['a trailing comma', '{"name": "x", "steps": [{"id": "PEP_SANCTIONS"}],}'],
    ['single quotes', "{'name': 'x'}"],
    ['white space only', '   '],
    ['an empty body', ''],
  ])('is 400 invalid_json for %s', async (_, text) => {
    const error = expectError(await post(text), 400, 'invalid_json')
    expect(error.details).toBeUndefined()
  })

  it('is 400 invalid_json without any body', async () => {
    expectError(await api('POST', '/v1/workflows', { key: org.live }), 400, 'invalid_json')
  })

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'Application/JSON',
    'application/merge-patch+json',
    'application/vnd.api+json',
  ])('accepts Content-Type %s', async (type) => {
    expectWorkflow(await post(FIVE_STEPS, { 'content-type': type }), 201)
  })

  it.each(['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'application/jsonx', 'multipart/form-data'])(
    'is 415 unsupported_media_type for Content-Type %s, creating nothing',
    async (type) => {
      const mine = await freshPost()
      expectError(await mine.post(FIVE_STEPS, { 'content-type': type }), 415, 'unsupported_media_type')
      expect(await mine.count()).toBe(0)
    },
  )

  it('is 415 for a body without Content-Type', async () => {
    const reply = await api('POST', '/v1/workflows', { key: org.live, raw: new TextEncoder().encode(JSON.stringify(FIVE_STEPS)) })
    expectError(reply, 415, 'unsupported_media_type')
  })

  it('accepts a body of exactly 65536 bytes and refuses 65537 bytes with 413', async () => {
    const mine = await freshPost()
    expectWorkflow(await mine.post(jsonOfSize(FIVE_STEPS, 65536)), 201)
    expectError(await mine.post(jsonOfSize(FIVE_STEPS, 65537)), 413, 'payload_too_large')
    expect(await mine.count()).toBe(1)
  })

  it('answers 413 before 415 and before 400, and counts bytes, not characters', async () => {
    expectError(await post(jsonOfSize(FIVE_STEPS, 65537), { 'content-type': 'text/plain' }), 413, 'payload_too_large')
    expectError(await post(`{"name": ${'x'.repeat(70_000)}`), 413, 'payload_too_large')
    expectError(await post(jsonOfSize({ name: '', steps: [] }, 65537)), 413, 'payload_too_large')
    expectError(await post(`"${'é'.repeat(32_768)}`), 413, 'payload_too_large') // 65537 bytes, 32769 characters
  })

  /** The text as a stream of 4 KiB chunks: sent with Transfer-Encoding: chunked, no Content-Length. */
  const streamed = (text: string) => {
    const bytes = new TextEncoder().encode(text)
    const raw = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.slice(i, i + 4096))
        controller.close()
      },
    })
    return api('POST', '/v1/workflows', { key: org.live, raw, headers: { 'content-type': 'application/json' } })
  }

  it('applies the same 64 KiB limit to a chunked body without Content-Length', async () => {
    expectWorkflow(await streamed(jsonOfSize(FIVE_STEPS, 65536)), 201)
    expectError(await streamed(jsonOfSize(FIVE_STEPS, 65537)), 413, 'payload_too_large')
  })

  // RFC 8259 §8.1: a parser MAY ignore a byte order mark; the Fetch standard's UTF-8 decode (Request.text()) strips it.
  it('ignores a UTF-8 byte order mark before the JSON body', async () => {
    const workflow = expectWorkflow(await post(`\uFEFF${JSON.stringify(FIVE_STEPS)}`), 201)
    expect(workflow.steps).toEqual(RESOLVED_FIVE_STEPS)
  })

  it('takes the last of duplicate JSON keys', async () => {
    const text =
      '{"name":"First","steps":[{"id":"FACE_LIVENESS","config":{"confidence_threshold":10,"confidence_threshold":90}}],"name":"Second"}'
    const workflow = expectWorkflow(await post(text), 201)
    expect(workflow.name).toBe('Second')
    expect(workflow.steps).toEqual([{ id: 'FACE_LIVENESS', config: { confidence_threshold: 90 } }])
  })

  it('forces enable_fraud_analysis to true when an escalation is set, even if false is given', async () => {
    const body = {
      name: 'x',
      steps: [{ id: 'ID_VERIFICATION', config: { escalation_type: 'nfc-passport', enable_fraud_analysis: false } }],
    }
    expect(expectWorkflow(await post(body), 201).steps[0]?.config).toMatchObject({
      enable_fraud_analysis: true,
      escalation_type: 'nfc-passport',
    })
  })
})
