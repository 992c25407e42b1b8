/**
 * FallbackRateLimiter: the shared budget while the store answers, per-replica buckets while it does
 * not, never an exception, one log line when the store goes away and one when it comes back.
 *
 * First against a fake store (every path, no servers), then against real Redis through a TCP proxy
 * the test can stop, restart and silence, and against addresses where nothing answers. The outage
 * tests need Redis (WF_TEST_REDIS_URL) and skip with a message without it, or fail when
 * WF_REQUIRE_SERVICES=1. They decide by counts and by which store answered, never by speed: the
 * pause is driven by a clock the test moves, and waits on real reconnects are polled with generous
 * deadlines.
 */
import { randomUUID } from 'node:crypto'
import { connect, createServer, type Server, type Socket } from 'node:net'
import type { Logger, RateDecision, RateLimiter } from '@wf/api'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresPool, createRedisClient, FallbackRateLimiter, PostgresRateLimiter, RedisRateLimiter } from './index.js'
import { describeWith, REDIS_URL, redisProblem } from './test-services.js'

const RUN = `wf-test-rl-fallback-${randomUUID().slice(0, 8)}`

const config = { rps: 1, burst: 5 }

function capture() {
  const lines: { level: 'info' | 'error'; entry: Record<string, unknown> }[] = []
  const logger: Logger = {
    info: (entry) => lines.push({ level: 'info', entry }),
    error: (entry) => lines.push({ level: 'error', entry }),
  }
  const matching = (word: string) => lines.filter((l) => String(l.entry.msg).includes(word))
  return { logger, lines, unreachable: () => matching('unreachable'), back: () => matching('back') }
}

/** A store whose every take does what the test says: answer (as the shared budget), fail, throw, or hang. */
class FakeStore implements RateLimiter {
  mode: 'answer' | 'fail' | 'throw' | 'hang' = 'answer'
  error: unknown = new Error('connect ECONNREFUSED 10.0.0.9:6379')
  calls = 0
  /** Takes left hanging, to be answered later by the test. */
  readonly hanging: ((d: RateDecision) => void)[] = []

  take(): RateDecision | Promise<RateDecision> {
    this.calls++
    const answer: RateDecision = { allowed: true, limit: 5, remaining: 99, resetSeconds: 0, retryAfterSeconds: 0 }
    switch (this.mode) {
      case 'answer':
        return Promise.resolve(answer)
      case 'fail':
        return Promise.reject(this.error)
      case 'throw':
        throw this.error
      case 'hang':
        return new Promise((resolve) => this.hanging.push(resolve))
    }
  }
}

/** Remaining 99 can only come from the fake store: the in-process buckets hold 5. */
const fromStore = (d: RateDecision) => d.remaining === 99

function fakeLimiter(options: { timeoutMs?: number } = {}) {
  const store = new FakeStore()
  const log = capture()
  const clock = { now: 0 }
  const limiter = new FallbackRateLimiter({
    shared: store,
    config,
    logger: log.logger,
    store: 'fake',
    pauseMs: 1000,
    timeoutMs: options.timeoutMs ?? 50,
    clock: () => clock.now,
  })
  return { store, log, clock, limiter }
}

describe('FallbackRateLimiter', () => {
  it('uses the store’s decisions while it answers, and logs nothing', async () => {
    const { store, log, limiter } = fakeLimiter()
    for (let i = 0; i < 10; i++) expect(fromStore(await limiter.take('k', 0))).toBe(true)
    expect(store.calls).toBe(10)
    expect(log.lines).toEqual([])
    expect(limiter.degraded).toBe(false)
  })

  it('decides in process while the store fails: burst then refusals, neither open nor closed', async () => {
    const { store, limiter } = fakeLimiter()
    store.mode = 'fail'
    const decisions = await Promise.all(Array.from({ length: 8 }, () => limiter.take('k', 0)))
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false, false])
    expect(decisions.some(fromStore)).toBe(false)
    // Per key, as the shared budget is.
    expect(await limiter.take('other', 0)).toMatchObject({ allowed: true, remaining: 4 })
  })

  it('logs once when the store goes away, then skips it for the pause, then tries it with one take', async () => {
    const { store, log, clock, limiter } = fakeLimiter()
    store.mode = 'fail'
    await limiter.take('k', 0)
    expect(limiter.degraded).toBe(true)
    expect(log.unreachable()).toHaveLength(1)
    expect(log.lines[0]).toEqual({
      level: 'error',
      entry: { msg: expect.stringContaining('unreachable'), store: 'fake', error: 'connect ECONNREFUSED 10.0.0.9:6379' },
    })

    // Within the pause the store is not asked at all.
    const callsAtFailure = store.calls
    clock.now = 999
    for (let i = 0; i < 20; i++) await limiter.take('k', 0)
    expect(store.calls).toBe(callsAtFailure)

    // After it, one take asks; the ones that arrive meanwhile do not wait for it.
    clock.now = 1000
    store.mode = 'hang'
    const probe = limiter.take('k', 0)
    await Promise.all(Array.from({ length: 10 }, () => limiter.take('k', 0)))
    expect(store.calls).toBe(callsAtFailure + 1)
    expect(fromStore(await probe)).toBe(false) // timed out: decided in process

    // A failed try: another pause, no second log line.
    expect(log.unreachable()).toHaveLength(1)
    clock.now = 1500
    await limiter.take('k', 0)
    expect(store.calls).toBe(callsAtFailure + 1)

    // The store answers again: shared from that take on, logged once.
    store.mode = 'answer'
    clock.now = 3000
    expect(fromStore(await limiter.take('k', 0))).toBe(true)
    expect(fromStore(await limiter.take('k', 0))).toBe(true)
    expect(limiter.degraded).toBe(false)
    expect(log.back()).toEqual([{ level: 'info', entry: { msg: expect.stringContaining('back'), store: 'fake' } }])
    expect(log.lines).toHaveLength(2)
  })

  it('waits on a store that does not answer only as long as the timeout', async () => {
    const { store, log, limiter } = fakeLimiter({ timeoutMs: 20 })
    store.mode = 'hang'
    const d = await limiter.take('k', 0)
    expect(d).toMatchObject({ allowed: true, remaining: 4 })
    expect(log.unreachable()[0]?.entry.error).toBe('no answer within 20 ms')
    // The late answer changes nothing and rejects nothing.
    store.hanging[0]!({ allowed: true, limit: 5, remaining: 99, resetSeconds: 0, retryAfterSeconds: 0 })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(limiter.degraded).toBe(true)
  })

  it('is not told the store is back by a take that was sent before it went away', async () => {
    const { store, log, clock, limiter } = fakeLimiter({ timeoutMs: 60_000 })
    store.mode = 'hang'
    const early = limiter.take('k', 0)
    store.mode = 'fail'
    await limiter.take('k', 0) // the store goes away
    store.hanging[0]!({ allowed: true, limit: 5, remaining: 99, resetSeconds: 0, retryAfterSeconds: 0 })
    expect(fromStore(await early)).toBe(true) // its answer is still a right decision...
    expect(limiter.degraded).toBe(true) // ...but not news that the store is back
    expect(log.back()).toHaveLength(0)
    clock.now = 1000
    store.mode = 'answer'
    await limiter.take('k', 0)
    expect(log.back()).toHaveLength(1)
  })

  it('never throws: a store that throws, or rejects with something that is not an Error', async () => {
    const { store, log, clock, limiter } = fakeLimiter()
    store.mode = 'throw'
    await expect(limiter.take('k', 0)).resolves.toMatchObject({ allowed: true })
    store.mode = 'fail'
    store.error = 'just a string'
    clock.now = 1000
    await expect(limiter.take('k', 0)).resolves.toMatchObject({ allowed: true })
    expect(log.unreachable()).toHaveLength(1)
  })

  it('logs the message only: no stack, credentials in a URL masked, the parts of an AggregateError', async () => {
    for (const [error, logged] of [
      [new Error('cannot reach redis://default:s3cret@cache.internal:6379'), 'cannot reach redis://***@cache.internal:6379'],
      [
        new AggregateError([new Error('connect ECONNREFUSED ::1:6379'), new Error('connect ECONNREFUSED 127.0.0.1:6379')], ''),
        'connect ECONNREFUSED ::1:6379; connect ECONNREFUSED 127.0.0.1:6379',
      ],
      [Object.assign(new Error(''), { name: 'TimeoutError' }), 'TimeoutError'],
    ] as const) {
      const { store, log, limiter } = fakeLimiter()
      store.mode = 'fail'
      store.error = error
      await limiter.take('k', 0)
      expect(log.lines).toHaveLength(1)
      expect(log.lines[0]!.entry.error).toBe(logged)
      expect(JSON.stringify(log.lines)).not.toContain('    at ')
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Real outages

/**
 * A TCP proxy to Redis that the test controls: stop it (its connections are cut and new ones
 * refused), start it again on the same port, or silence it (connections stay open, nothing passes).
 */
class TcpProxy {
  port = 0
  silent = false
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host)
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.on('error', () => {})
        socket.on('close', () => {
          this.sockets.delete(socket)
          client.destroy()
          upstream.destroy()
        })
      }
      client.on('data', (data) => this.silent || upstream.write(data))
      upstream.on('data', (data) => this.silent || client.write(data))
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, '127.0.0.1', () => resolve())
    })
    this.port = (server.address() as { port: number }).port
    this.server = server
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    const server = this.server
    this.server = undefined
    if (server) await new Promise((resolve) => server.close(resolve))
  }
}

const problem = await redisProblem()

/** Runs the suite when Redis answers; otherwise skips it saying why, or fails when required. */
const describeWithRedis = (name: string, body: () => void) => describeWith(name, problem, body)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `check` until it holds, for at most `ms` (a deadline for a hang, not a measure of speed). */
async function eventually(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not so within ${ms} ms`)
    await sleep(50)
  }
}

/** Counts the takes that reached the store. */
function counted(limiter: RateLimiter) {
  const wrapper = {
    calls: 0,
    take(key: string, nowMs: number) {
      wrapper.calls++
      return limiter.take(key, nowMs)
    },
  }
  return wrapper
}

describeWithRedis('FallbackRateLimiter over Redis, through outages', () => {
  const target = new URL(REDIS_URL)
  const prefix = `${RUN}:outage`
  const clients: Redis[] = []
  const proxies: TcpProxy[] = []
  const servers: Server[] = []

  /** A replica: a client to `url`, its RedisRateLimiter (counted), and the fallback around it. */
  async function replica(url: string, options: { timeoutMs: number; commandTimeoutMs?: number; waitReady?: boolean }) {
    const redis = createRedisClient(url, { commandTimeoutMs: options.commandTimeoutMs ?? 30_000 })
    clients.push(redis)
    // A bucket lives 10 minutes past its refill: real time passes while the test's clock stands still.
    const redisLimiter = new RedisRateLimiter({ redis, config, prefix, expiryMarginMs: 600_000 })
    if (options.waitReady !== false) await redisLimiter.ensure(30_000)
    const shared = counted(redisLimiter)
    const log = capture()
    const clock = { now: 0 }
    const limiter = new FallbackRateLimiter({
      shared,
      config,
      logger: log.logger,
      store: 'redis',
      timeoutMs: options.timeoutMs,
      clock: () => clock.now,
    })
    return { redis, shared, log, clock, limiter }
  }

  function urlFor(port: number) {
    const url = new URL(REDIS_URL)
    url.hostname = '127.0.0.1'
    url.port = String(port)
    return url.href
  }

  async function freePort(): Promise<number> {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    await new Promise((resolve) => server.close(resolve))
    return port
  }

  let direct: Awaited<ReturnType<typeof replica>>
  beforeAll(async () => {
    direct = await replica(REDIS_URL, { timeoutMs: 30_000 })
  })

  afterAll(async () => {
    let cursor = '0'
    do {
      const [next, keys] = await direct.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      if (keys.length > 0) await direct.redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
    for (const redis of clients) redis.disconnect()
    for (const proxy of proxies) await proxy.stop()
    for (const server of servers) await new Promise((resolve) => server.close(resolve))
  })

  it('shares the budget, limits per replica while Redis is cut off, and shares again once it is back', async () => {
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) })
    proxies.push(proxy)
    await proxy.start()
    // A timeout far above any answer on a busy machine: here the store fails by refusing, not by silence.
    const a = await replica(urlFor(proxy.port), { timeoutMs: 5_000 })
    const now = 1_000_000 // the requests' clock stands still: no refill during the test

    // Up: A and the direct replica draw on one budget of 5.
    for (let i = 0; i < 3; i++) await a.limiter.take('k1', now)
    expect(await direct.limiter.take('k1', now)).toMatchObject({ allowed: true, remaining: 1 })
    expect(await a.limiter.take('k1', now)).toMatchObject({ allowed: true, remaining: 0 })
    expect((await direct.limiter.take('k1', now)).allowed).toBe(false)

    // Down: A decides with its own full bucket, within the timeout, and never throws.
    await proxy.stop()
    const callsBefore = a.shared.calls
    const during: RateDecision[] = []
    for (let i = 0; i < 8; i++) during.push(await a.limiter.take('k1', now))
    expect(during.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false, false])
    expect(during[0]).toMatchObject({ remaining: 4 })
    expect(a.shared.calls).toBe(callsBefore + 1) // the breaker: only the first take asked
    expect(a.log.unreachable()).toHaveLength(1)
    expect(a.log.unreachable()[0]!.level).toBe('error')
    // The replica that still reaches Redis still sees the shared budget spent.
    expect((await direct.limiter.take('k1', now)).allowed).toBe(false)

    // A try after the pause while still down: no new line.
    a.clock.now += 1000
    await a.limiter.take('k1', now)
    expect(a.shared.calls).toBe(callsBefore + 2)
    expect(a.log.unreachable()).toHaveLength(1)

    // Back on the same port: after a pause, one take finds Redis again (ioredis reconnects on its own).
    await proxy.start()
    await eventually(async () => {
      a.clock.now += 1000
      await a.limiter.take('probe', now)
      return a.log.back().length > 0
    })
    expect(a.log.back()).toHaveLength(1)
    expect(a.log.unreachable()).toHaveLength(1)
    expect(a.limiter.degraded).toBe(false)
    // Shared again: A's take is seen by the direct replica.
    expect(await a.limiter.take('k2', now)).toMatchObject({ allowed: true, remaining: 4 })
    expect(await direct.limiter.take('k2', now)).toMatchObject({ allowed: true, remaining: 3 })
    expect((await a.limiter.take('k1', now)).allowed).toBe(false) // the shared k1, still spent
    expect(direct.log.lines).toEqual([])
  })

  it('decides within the timeout when Redis goes silent (connections open, no answers)', async () => {
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) })
    proxies.push(proxy)
    await proxy.start()
    // The client's own command timeout is far away: only the fallback's timeout can end the wait.
    const a = await replica(urlFor(proxy.port), { timeoutMs: 2_000, commandTimeoutMs: 600_000 })
    const now = 2_000_000
    await a.limiter.take('warm', now)
    expect(a.log.lines).toEqual([]) // answered through the proxy

    proxy.silent = true
    const started = Date.now()
    const decisions = await Promise.all(Array.from({ length: 6 }, () => a.limiter.take('s1', now)))
    // Far below the client's 10 minutes: a deadline for a hang, not a speed.
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false])
    expect(a.log.unreachable()).toHaveLength(1)
    expect(a.log.unreachable()[0]!.entry.error).toBe('no answer within 2000 ms')
    // Within the pause, nothing more is sent to the silent store.
    const calls = a.shared.calls
    await a.limiter.take('s1', now)
    expect(a.shared.calls).toBe(calls)
  })

  it('decides in process from the start when nothing listens on Redis’s port', async () => {
    const a = await replica(urlFor(await freePort()), { timeoutMs: 5_000, waitReady: false })
    const decisions: RateDecision[] = []
    for (let i = 0; i < 6; i++) decisions.push(await a.limiter.take('n1', 0))
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false])
    a.clock.now += 1000
    await a.limiter.take('n1', 0)
    expect(a.log.unreachable()).toHaveLength(1)
    expect(a.log.back()).toHaveLength(0)
    expect(String(a.log.unreachable()[0]!.entry.error)).not.toBe('')
  })

  it('decides in process when a server accepts connections but never answers', async () => {
    // Takes what it is sent and says nothing. (Reading lets it see the client hang up at the end.)
    const server = createServer((socket) => socket.on('error', () => {}).resume())
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const a = await replica(urlFor((server.address() as { port: number }).port), {
      timeoutMs: 300,
      commandTimeoutMs: 600_000,
      waitReady: false,
    })
    const decisions = await Promise.all(Array.from({ length: 6 }, () => a.limiter.take('m1', 0)))
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false])
    expect(a.log.unreachable()).toHaveLength(1)
    // Its ensure() says so at start instead of hanging.
    await expect(new RedisRateLimiter({ redis: a.redis, config, prefix }).ensure(200)).rejects.toThrow(/not ready/)
  })
})

describe('FallbackRateLimiter over PostgreSQL', () => {
  it('decides in process when nothing listens on PostgreSQL’s port, and never throws', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    await new Promise((resolve) => server.close(resolve))
    const pool = createPostgresPool(`postgres://postgres@127.0.0.1:${port}/none`, { timeoutMs: 5_000 })
    const log = capture()
    const limiter = new FallbackRateLimiter({
      shared: new PostgresRateLimiter({ pool, config }),
      config,
      logger: log.logger,
      store: 'postgres',
      timeoutMs: 5_000,
      clock: () => 0,
    })
    const decisions: RateDecision[] = []
    for (let i = 0; i < 6; i++) decisions.push(await limiter.take('p1', 0))
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false])
    expect(log.unreachable()).toHaveLength(1)
    expect(log.unreachable()[0]!.entry).toMatchObject({ store: 'postgres', error: expect.stringContaining('ECONNREFUSED') })
    await pool.end()
  })
})
