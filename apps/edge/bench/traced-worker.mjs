// A Worker that runs the built edge app (./index.js, dist/index.js) with its D1 and Durable Object
// bindings traced, and says in `x-wf-round-trips` how many SEQUENTIAL round trips the request
// made: a call's step is one more than the latest step that had finished when it started, so calls
// in flight together (a batch, or two started before either ended) share a step. No clocks: workerd
// does not advance time while code runs. Used by round-trips.mjs; never deployed.
import app, { RateLimiter } from './index.js'

export { RateLimiter }

function tracer(latencyMs) {
  let finished = 0
  let deepest = 0
  const calls = []
  return {
    calls,
    get depth() {
      return deepest
    },
    /** Runs one round trip of `kind`, at the step after everything that had finished. */
    async step(kind, run) {
      const step = finished + 1
      deepest = Math.max(deepest, step)
      calls.push(`${step}:${kind}`)
      try {
        const result = await run()
        if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs))
        return result
      } finally {
        finished = Math.max(finished, step)
      }
    },
  }
}

/** D1: prepare/bind build a statement; first/all/raw/run and batch go to the database. */
function tracedD1(db, trace) {
  const real = new WeakMap()
  const wrap = (statement) => {
    const proxy = new Proxy(statement, {
      get(target, name) {
        if (name === 'bind') return (...args) => wrap(target.bind(...args))
        if (['first', 'all', 'raw', 'run'].includes(name)) return (...args) => trace.step(`d1.${name}`, () => target[name](...args))
        const value = target[name]
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    real.set(proxy, statement)
    return proxy
  }
  return new Proxy(db, {
    get(target, name) {
      if (name === 'prepare') return (sql) => wrap(target.prepare(sql))
      if (name === 'batch')
        return (statements) => trace.step(`d1.batch(${statements.length})`, () => target.batch(statements.map((s) => real.get(s) ?? s)))
      const value = target[name]
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** The Durable Object namespace: every call on a stub is a round trip to the object. */
function tracedNamespace(namespace, trace) {
  return new Proxy(namespace, {
    get(target, name) {
      if (name === 'get') {
        return (...args) => {
          const stub = target.get(...args)
          return new Proxy(stub, {
            get(s, method) {
              const value = s[method]
              if (typeof value !== 'function') return value
              return (...callArgs) => trace.step(`do.${String(method)}`, () => s[method](...callArgs))
            },
          })
        }
      }
      const value = target[name]
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

export default {
  async fetch(request, env, ctx) {
    const trace = tracer(Number(env.TRACE_LATENCY_MS ?? 0))
    const traced = { ...env, DB: tracedD1(env.DB, trace), RATE_LIMITER: tracedNamespace(env.RATE_LIMITER, trace) }
    const response = await app.fetch(request, traced, ctx)
    const out = new Response(response.body, response)
    out.headers.set('x-wf-round-trips', String(trace.depth))
    out.headers.set('x-wf-calls', trace.calls.join(' '))
    return out
  },
}
