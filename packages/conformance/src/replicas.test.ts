/**
 * Replicas project only (excluded from the other projects in vitest.config.ts): what several
 * stateless Node servers on one PostgreSQL database owe a client whose requests land on any of
 * them. Here each request names its replica (`replica: A` or `B`) instead of taking the next in
 * turn: an acknowledged write on one is what the other answers next (no replica keeps a cache of
 * its own), one If-Match winner among writers on both, an Idempotency-Key replayed by the other
 * replica, a revocation on one refused by the other, and one rate-limit bucket per key across both
 * (the tight pair keeps its buckets in PostgreSQL).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  adminHeaders,
  api,
  BASE_URLS,
  LIMITED_URL,
  LIMITED_URLS,
  newKey,
  newOrg,
  type Org,
  type Reply,
  type RequestOptions,
  workflowPath,
} from './client.js'
import { expectError, expectRateLimitHeaders, expectWorkflow } from './expect.js'
import { FIVE_STEPS, SMALL } from './fixtures.js'

type Replica = 'A' | 'B'
const REPLICAS: Replica[] = ['A', 'B']
/** Both ways round: write on one replica, read on the other. */
const DIRECTIONS: [Replica, Replica][] = [
  ['A', 'B'],
  ['B', 'A'],
]
/** A for even i, B for odd: requests spread evenly over both. */
const spread = (i: number): Replica => (i % 2 === 0 ? 'A' : 'B')

/** The request on that replica (of the relaxed target, or of `opts.base`'s). */
const on = (replica: Replica, method: string, path: string, opts: RequestOptions = {}) =>
  api(method, path, { ...opts, replica: REPLICAS.indexOf(replica) })
const BURST = 5

let org: Org
beforeAll(async () => {
  org = await newOrg('Replicas')
})

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the replicas project', () => {
  it('has two replicas of each target, and api() sends each request to the next one in turn', async () => {
    expect(BASE_URLS).toHaveLength(2)
    expect(LIMITED_URLS).toHaveLength(2)
    expect(new Set([...BASE_URLS, ...LIMITED_URLS]).size).toBe(4)
    const fetch = vi.spyOn(globalThis, 'fetch')
    for (let i = 0; i < 4; i++) expect((await api('GET', '/health')).status).toBe(200)
    for (let i = 0; i < 2; i++) expect((await api('GET', '/health', { base: LIMITED_URL })).status).toBe(200)
    const origins = fetch.mock.calls.map(([input]) => new URL(String(input)).origin)
    const [a, b] = BASE_URLS as [string, string]
    expect(origins.slice(0, 4).sort()).toEqual([a, a, b, b].sort())
    expect(origins[0]).not.toBe(origins[1])
    expect(origins[1]).not.toBe(origins[2])
    expect(new Set(origins.slice(4))).toEqual(new Set(LIMITED_URLS))
  })
})

describe('an acknowledged write on one replica is what the other answers at its very next request', () => {
  it.each(DIRECTIONS)('create on %s → retrieve and list on %s', async (writer, reader) => {
    for (let i = 0; i < 5; i++) {
      const created = await on(writer, 'POST', '/v1/workflows', { key: org.live, body: { ...FIVE_STEPS, name: `Made on ${writer} ${i}` } })
      const workflow = expectWorkflow(created, 201)
      const read = await on(reader, 'GET', workflowPath(workflow.id), { key: org.live })
      expect(expectWorkflow(read)).toEqual(workflow)
      expect(read.text).toBe(created.text)
      expect(read.headers.get('etag')).toBe('"1"')
      const listed = await on(reader, 'GET', '/v1/workflows?limit=1', { key: org.live })
      expect(listed.status).toBe(200)
      expect(listed.body.workflows[0].id).toBe(workflow.id)
    }
  })

  it.each(DIRECTIONS)('update on %s, after %s has read the old version → it answers the new one', async (writer, reader) => {
    const workflow = expectWorkflow(await on(writer, 'POST', '/v1/workflows', { key: org.live, body: FIVE_STEPS }), 201)
    for (let version = 1; version <= 4; version++) {
      // The reader has just answered this version: anything it kept of it must not outlive the next write.
      const before = await on(reader, 'GET', workflowPath(workflow.id), { key: org.live })
      expect(before.headers.get('etag')).toBe(`"${version}"`)
      const updated = await on(writer, 'PATCH', workflowPath(workflow.id), {
        key: org.live,
        body: { name: `Version ${version + 1}` },
        headers: { 'if-match': `"${version}"` },
      })
      expect(expectWorkflow(updated).version).toBe(version + 1)
      const after = await on(reader, 'GET', workflowPath(workflow.id), { key: org.live })
      expect(expectWorkflow(after)).toEqual(updated.body.workflow)
      expect(after.headers.get('etag')).toBe(`"${version + 1}"`)
      const versions = await on(reader, 'GET', `${workflowPath(workflow.id)}/versions`, { key: org.live })
      expect(versions.body.versions.map((v: { version: number }) => v.version)[0]).toBe(version + 1)
    }
    // Archived on the writer: the reader refuses a change at once.
    expectWorkflow(await on(writer, 'DELETE', workflowPath(workflow.id), { key: org.live }))
    expectError(await on(reader, 'PATCH', workflowPath(workflow.id), { key: org.live, body: { name: 'Too late' } }), 409, 'conflict')
  })
})

describe('If-Match across replicas', () => {
  it('lets exactly one of 20 concurrent writes at the same version through, spread over both replicas; the others are 412', async () => {
    const workflow = expectWorkflow(await on('A', 'POST', '/v1/workflows', { key: org.live, body: SMALL }), 201)
    const winners: string[] = []
    for (let version = 1; version <= 3; version++) {
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          on(spread(i), 'PATCH', workflowPath(workflow.id), {
            key: org.live,
            body: { name: `Writer ${version}.${i} on ${spread(i)}` },
            headers: { 'if-match': `"${version}"` },
          }),
        ),
      )
      const statuses = replies.map((r) => (r.status === 200 || r.status === 412 ? r.status : `${r.status} ${r.text}`))
      expect(statuses.filter((s) => s === 200)).toHaveLength(1)
      expect(statuses.filter((s) => s !== 200)).toEqual(Array(19).fill(412))
      for (const reply of replies) if (reply.status === 412) expectError(reply, 412, 'precondition_failed')
      const winner = replies.find((r) => r.status === 200)!
      expect(winner.body.workflow.version).toBe(version + 1)
      winners.push(winner.body.workflow.name)
    }
    for (const replica of REPLICAS) {
      const versions = (await on(replica, 'GET', `${workflowPath(workflow.id)}/versions`, { key: org.live })).body.versions
      expect(versions.map((v: { version: number }) => v.version)).toEqual([4, 3, 2, 1])
      expect(versions.map((v: { name: string }) => v.name)).toEqual([...winners].reverse().concat('Small'))
    }
  })
})

describe('Idempotency-Key across replicas', () => {
  const post = (replica: Replica, key: string, body: unknown = FIVE_STEPS, apiKey = org.live) =>
    on(replica, 'POST', '/v1/workflows', { key: apiKey, body, headers: { 'idempotency-key': key } })

  it.each(DIRECTIONS)('a create on %s is replayed by %s for the same key and body, byte for byte', async (first, second) => {
    const own = await newOrg('Idempotent')
    const key = `replicas-${crypto.randomUUID()}`
    const created = await post(first, key, FIVE_STEPS, own.live)
    expectWorkflow(created, 201)
    expect(created.headers.get('idempotent-replayed')).toBeNull()
    const replay = await post(second, key, FIVE_STEPS, own.live)
    expect(replay.status).toBe(201)
    expect(replay.text).toBe(created.text)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(replay.headers.get('location')).toBe(created.headers.get('location'))
    expectError(await post(second, key, { ...FIVE_STEPS, name: 'Another body' }, own.live), 422, 'idempotency_key_reused')
    for (const replica of REPLICAS) {
      const listed = await on(replica, 'GET', '/v1/workflows', { key: own.live })
      expect(listed.body.workflows.map((w: { id: string }) => w.id)).toEqual([created.body.workflow.id])
    }
  })

  it('creates one workflow for the same key sent to both replicas at the same moment; both answers are the same bytes', async () => {
    const own = await newOrg('Idempotent, at once')
    const replies: Reply[] = []
    for (let i = 0; i < 10; i++) {
      const key = `replicas-at-once-${i}-${crypto.randomUUID()}`
      const pair = await Promise.all([post('A', key, SMALL, own.live), post('B', key, SMALL, own.live)])
      expect(pair.map((r) => r.status)).toEqual([201, 201])
      expect(pair[0].text).toBe(pair[1].text)
      expect(pair.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(1)
      replies.push(pair[0])
    }
    const listed = await on('B', 'GET', '/v1/workflows', { key: own.live })
    expect(listed.body.workflows).toHaveLength(10)
    expect(new Set(replies.map((r) => r.body.workflow.id)).size).toBe(10)
  })
})

describe('API keys across replicas', () => {
  it.each(DIRECTIONS)('a key made through %s’s admin API works on %s at once', async (maker, user) => {
    const made = await on(maker, 'POST', `/admin/v1/organizations/${org.id}/api-keys`, { body: { mode: 'live' }, headers: adminHeaders() })
    expect(made.status).toBe(201)
    expectWorkflow(await on(user, 'POST', '/v1/workflows', { key: made.body.secret, body: SMALL }), 201)
  })

  it.each(DIRECTIONS)('a key revoked through %s’s admin API is refused by %s’s next request', async (revoker, other) => {
    const key = await newKey(org.id, 'live', 'to revoke')
    const spare = await newKey(org.id, 'live', 'spare')
    // The other replica has just accepted the key: nothing it kept may outlive the revocation.
    expect((await on(other, 'GET', '/v1/workflows', { key: key.secret })).status).toBe(200)
    const revoked = await on(revoker, 'DELETE', `/admin/v1/api-keys/${key.id}`, { headers: adminHeaders() })
    expect(revoked.status).toBe(200)
    expectError(await on(other, 'GET', '/v1/workflows', { key: key.secret }), 401, 'unauthorized')
    expectError(await on(other, 'POST', '/v1/workflows', { key: key.secret, body: SMALL }), 401, 'unauthorized')
    expectError(await on(revoker, 'GET', '/v1/workflows', { key: key.secret }), 401, 'unauthorized')
    expect((await on(other, 'GET', '/v1/workflows', { key: spare.secret })).status).toBe(200)
  })
})

describe('one rate-limit bucket per key across the replicas (tight pair: burst 5, 0.2 a second, buckets in PostgreSQL)', () => {
  const limited = (replica: Replica, key: string) => on(replica, 'GET', '/v1/workflows', { key, base: LIMITED_URL, noRetry: true })

  it('counts one burst down across both replicas, in turn, then both refuse', async () => {
    const own = await newOrg('Burst in turn', LIMITED_URL)
    const remaining: number[] = []
    for (let i = 0; i < BURST; i++) {
      const reply = await limited(spread(i), own.live)
      expect(reply.status, `request ${i + 1} on ${spread(i)}`).toBe(200)
      remaining.push(expectRateLimitHeaders(reply).remaining)
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0])
    for (const replica of REPLICAS) {
      const refused = await limited(replica, own.live)
      expectError(refused, 429, 'rate_limited')
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    }
  })

  it('gives a burst of 20 at once, spread over both replicas, exactly 5 successes; the rest are 429', async () => {
    const own = await newOrg('Burst at once', LIMITED_URL)
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => limited(spread(i), own.live)))
    const statuses = replies.map((r) => (r.status === 200 || r.status === 429 ? r.status : `${r.status} ${r.text}`))
    expect(statuses.filter((s) => s === 200)).toHaveLength(BURST)
    expect(statuses.filter((s) => s !== 200)).toEqual(Array(20 - BURST).fill(429))
    expect(
      replies
        .filter((r) => r.status === 200)
        .map((r) => expectRateLimitHeaders(r).remaining)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4])
  })
})
