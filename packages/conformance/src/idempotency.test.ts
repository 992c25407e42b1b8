/**
 * Idempotency-Key on create (contract §4, §8): a retry with the same key and the same JSON value
 * replays the stored 201 byte for byte with `Idempotent-Replayed: true` and creates nothing; a
 * different body is 422; keys are scoped to the organization; failed requests are not stored.
 * (The 24-hour expiry needs a clock and is left to the in-process tests.)
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { api, newKey, newOrg, type Org } from './client.js'
import { expectError, expectWorkflow } from './expect.js'
import { FIVE_STEPS, list } from './fixtures.js'

let org: Org
let KEY: string
beforeEach(async () => {
  org = await newOrg()
  KEY = `create-onboarding-${crypto.randomUUID()}`
})

const post = (body: unknown, headers: Record<string, string> = {}, key = org.live) => api('POST', '/v1/workflows', { key, body, headers })
const count = async (key = org.live) => (await list(key)).workflows.length

describe('Idempotency-Key on POST /v1/workflows', () => {
  it('replays the stored response for the same key and the same JSON value, creating nothing', async () => {
    const first = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    expect(first.status).toBe(201)
    expect(first.headers.get('idempotent-replayed')).toBeNull()

    // The same JSON value: keys reordered, different white space.
    const steps = FIVE_STEPS.steps.map((s) => Object.fromEntries(Object.entries(s).reverse()))
    const reordered = `{ "steps" : ${JSON.stringify(steps, null, 2)},\n "name":"${FIVE_STEPS.name}" }`
    const replay = await post(reordered, { 'idempotency-key': KEY })
    expect(replay.status).toBe(201)
    expect(replay.text).toBe(first.text)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(replay.headers.get('location')).toBe(first.headers.get('location'))
    expect(replay.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await count()).toBe(1)
  })

  it('replays again and again, always the same bytes', async () => {
    const first = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    for (let i = 0; i < 3; i++) expect((await post(FIVE_STEPS, { 'idempotency-key': KEY })).text).toBe(first.text)
    expect(await count()).toBe(1)
  })

  it('is 422 idempotency_key_reused for the same key with a different body, creating nothing', async () => {
    expectWorkflow(await post(FIVE_STEPS, { 'idempotency-key': KEY }), 201)
    expectError(await post({ ...FIVE_STEPS, name: 'Other name' }, { 'idempotency-key': KEY }), 422, 'idempotency_key_reused')
    expect(await count()).toBe(1)
  })

  it('is scoped to the organization, not to the API key', async () => {
    const first = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    const second = await newKey(org.id, 'live', 'second')
    const sameOrg = await post(FIVE_STEPS, { 'idempotency-key': KEY }, second.secret)
    expect(sameOrg.headers.get('idempotent-replayed')).toBe('true')
    expect(sameOrg.text).toBe(first.text)

    const other = await newOrg('Other')
    const otherOrg = await post(FIVE_STEPS, { 'idempotency-key': KEY }, other.live)
    expect(expectWorkflow(otherOrg, 201).organization_id).toBe(other.id)
    expect(otherOrg.headers.get('idempotent-replayed')).toBeNull()
    expect(await count()).toBe(1)
    expect(await count(other.live)).toBe(1)
  })

  it('does not store a request that failed validation: its retry is judged afresh', async () => {
    expectError(await post({ name: '', steps: [] }, { 'idempotency-key': KEY }), 400, 'invalid_request')
    const fixed = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    expectWorkflow(fixed, 201)
    expect(fixed.headers.get('idempotent-replayed')).toBeNull()
    const again = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.text).toBe(fixed.text)
    expect(await count()).toBe(1)
  })

  it('does not store a sandbox refusal either', async () => {
    expectError(await post(FIVE_STEPS, { 'idempotency-key': KEY }, org.sandbox), 403, 'sandbox_key')
    const live = await post(FIVE_STEPS, { 'idempotency-key': KEY })
    expectWorkflow(live, 201)
    expect(live.headers.get('idempotent-replayed')).toBeNull()
  })

  it.each([
    ['1 character', 'k', 201],
    ['255 characters', 'k'.repeat(255), 201],
    ['256 characters', 'k'.repeat(256), 400],
    ['0 characters', '', 400],
  ] as const)('a key of %s is answered %i', async (_, key, status) => {
    const reply = await post(FIVE_STEPS, { 'idempotency-key': key })
    if (status === 201) {
      expectWorkflow(reply, 201)
    } else {
      const error = expectError(reply, 400, 'invalid_request')
      expect(error.details).toEqual([{ path: '/header/Idempotency-Key', message: expect.any(String) }])
      expect(await count()).toBe(0)
    }
  })

  it('creates one workflow for concurrent requests with the same key and body; the others replay it', async () => {
    const replies = await Promise.all(Array.from({ length: 5 }, () => post(FIVE_STEPS, { 'idempotency-key': KEY })))
    // docs/api-notes.md: on one database there is no visible "in flight" state, so no 409 here.
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201])
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4)
    expect(new Set(replies.map((r) => r.text)).size).toBe(1)
    expect(await count()).toBe(1)
  })
})
