// Standalone repro for defect 4/5 (RELIABILITY.md): oversized bodies against the edge app in
// `wrangler dev --local`. Not part of the suite. Run it niced:
//   nice -n 19 node packages/reliability/src/edge-oversize-repro.mjs [pattern ...]
// Patterns: det (deterministic: per target and case, 20 fresh sockets each carrying an oversized
// PATCH then a GET; before the fix, chunked + key → 413 then ECONNRESET 20/20 on the user worker's
// own socket, and 413 then a hung GET through wrangler's port), seq (one keep-alive socket:
// oversized PATCH then a GET, repeated), conc (4 keep-alive clients mixing oversized and small
// requests), chunked (the same oversized bodies, chunked),
// getbody (oversized GET/DELETE bodies), direct (conc, sent to the user worker's own workerd socket,
// bypassing wrangler's ProxyWorker). WF_REPRO_MS bounds each pattern (default 20 s).
// Every answer is classified: app (x-request-id), miniflare's 503 "restarted mid-request", its 500
// "Cannot reconstruct a Request with a used body", other non-app answers, transport errors.
import { execFileSync } from 'node:child_process'
import http from 'node:http'
import { createKey, createOrg } from './admin.mjs'
import { request } from './http.mjs'
import { startEdge } from './servers.mjs'

const MS = Number(process.env.WF_REPRO_MS ?? 20_000)
const BIG = 958_366
const patterns = process.argv.slice(2).length ? process.argv.slice(2) : ['seq', 'conc', 'chunked', 'getbody', 'direct']

const edge = await startEdge({}, 'repro')
const results = {}
// Wrangler reloads (a rebuild after a watched file changed): their times, to tell them apart.
const reloads = []
let seenReloads = 0
const watcher = setInterval(() => {
  const n = (edge.output().match(/Reloading local server/g) ?? []).length
  while (seenReloads < n) reloads.push(Date.now()) && seenReloads++
}, 20)
const nearReload = (t0, t1) => reloads.some((t) => t >= t0 - 2000 && t <= t1 + 100)
try {
  const org = await createOrg(edge, 'Repro')
  const key = (await createKey(edge, org.id, 'live')).secret
  const wf = await request(edge, 'POST', '/v1/workflows', {
    headers: { 'x-api-key': key },
    body: { name: 'r', steps: [{ id: 'ID_VERIFICATION' }] },
  })
  const wfId = wf.json.workflow.id
  const bigBody = Buffer.from(JSON.stringify({ name: 'x'.repeat(BIG - 40), steps: [] }).padEnd(BIG, ' '))

  const classify = (tally, r) => {
    const k = r.error
      ? `transport ${r.error}${r.reused ? ' (reused socket)' : ''}`
      : r.headers['x-request-id'] !== undefined
        ? `app ${r.status}`
        : r.status === 503 && /restarted mid-request/.test(r.text)
          ? 'RESTART 503'
          : r.status === 500 && /used body/.test(r.text)
            ? 'RECONSTRUCT 500'
            : `other ${r.status} ${r.text.slice(0, 80)}`
    tally[k] = (tally[k] ?? 0) + 1
    return k
  }
  /**
   * A request whose transport error is an answer too: `error` is its code, `reused` whether the socket was.
   * @returns {Promise<Partial<import('./http.mjs').HttpResponse> & { error?: string, reused?: boolean }>}
   */
  const send = (srv, method, path, opts) =>
    request(srv, method, path, { timeoutMs: 15_000, ...opts }).catch((e) => ({ error: e.code ?? e.message, reused: e.reusedSocket }))

  const auth = (i) => (Math.floor(i / 3) % 3 === 0 ? {} : { 'x-api-key': key }) // with and without auth
  const bigReq = (i, chunked = false) => {
    const methods = ['PATCH', 'POST', 'PATCH', 'POST']
    const method = methods[i % methods.length]
    const path = method === 'PATCH' ? `/v1/workflows/${wfId}` : '/v1/workflows'
    const headers = {
      ...auth(i),
      ...(i % 2 ? { 'content-type': 'application/json' } : {}),
      ...(chunked ? { 'transfer-encoding': 'chunked' } : {}),
    }
    return { method, path, headers, body: bigBody }
  }
  const smallReq = (i) =>
    i % 2
      ? { method: 'GET', path: '/v1/workflows?limit=1', headers: { 'x-api-key': key } }
      : { method: 'POST', path: '/v1/workflows', headers: { 'x-api-key': key }, body: { name: `s${i}`, steps: [] } }

  const run = async (name, target, clients, pick) => {
    const tally = {}
    const examples = []
    const deadline = Date.now() + MS
    let n = 0
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = c; Date.now() < deadline; i += clients) {
          const q = pick(i)
          const t0 = Date.now()
          const r = await send(target, q.method, q.path, { headers: q.headers, body: q.body })
          n++
          let k = classify(tally, r)
          if (!k.startsWith('app')) {
            await new Promise((res) => setTimeout(res, 60))
            const tag = nearReload(t0, Date.now()) ? 'near a reload' : 'NO reload near'
            tally[tag] = (tally[tag] ?? 0) + 1
            k += ` (${tag})`
          }
          if (!k.startsWith('app') && examples.length < 5)
            examples.push(
              `${q.method} ${q.path} body=${q.body ? Buffer.byteLength(typeof q.body === 'string' || Buffer.isBuffer(q.body) ? q.body : JSON.stringify(q.body)) : 0} → ${k}`,
            )
        }
      }),
    )
    results[name] = { requests: n, tally, examples }
    process.stdout.write(`${name}: ${n} requests ${JSON.stringify(tally)}\n${examples.map((e) => `   ${e}`).join('\n')}\n`)
  }

  const keepAlive = (max) => ({ url: edge.url, agent: new http.Agent({ keepAlive: true, maxSockets: max }) })
  // Deterministic: one fresh keep-alive socket per trial, an oversized request, then a small GET on
  // the same socket. Per target (wrangler's port; the user worker's own workerd port) and case.
  const det = async (label, url) => {
    const cases = {
      'chunked, key → 413': { headers: { 'x-api-key': key, 'transfer-encoding': 'chunked' } },
      'chunked, no key → 401': { headers: { 'transfer-encoding': 'chunked' } },
      'length, key → 413': { headers: { 'x-api-key': key } },
      'length, no key → 401': { headers: {} },
    }
    for (const [name, c] of Object.entries(cases)) {
      const tally = {}
      for (let t = 0; t < 20; t++) {
        const one = { url, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) }
        const a = await send(one, 'PATCH', `/v1/workflows/${wfId}`, { headers: c.headers, body: bigBody })
        const b = await send(one, 'GET', '/v1/workflows?limit=1', { headers: { 'x-api-key': key }, timeoutMs: 3000 })
        one.agent.destroy()
        const k = `${a.error ?? a.status}${a.headers?.connection ? `(conn:${a.headers.connection})` : ''} then ${b.error ? `${b.error}${b.reused ? '(reused)' : ''}` : b.status}${b.headers && b.headers['x-request-id'] === undefined ? ' NOT-APP' : ''}`
        tally[k] = (tally[k] ?? 0) + 1
      }
      process.stdout.write(`det ${label} ${name}: ${JSON.stringify(tally)}\n`)
    }
  }
  for (const p of patterns) {
    if (p === 'det') {
      for (const port of userWorkerPorts(edge)) {
        const probe = await send({ url: `http://127.0.0.1:${port}`, agent: false }, 'GET', '/health', {})
        if (probe.headers?.['x-request-id'] !== undefined) await det(`direct(${port})`, `http://127.0.0.1:${port}`)
      }
      await det('proxy', edge.url)
    }
    if (p === 'seq') await run('seq', keepAlive(1), 1, (i) => (i % 2 ? smallReq(i) : bigReq(i >> 1)))
    if (p === 'conc') await run('conc', keepAlive(4), 4, (i) => (i % 3 ? smallReq(i) : bigReq(i)))
    if (p === 'chunked') await run('chunked', keepAlive(4), 4, (i) => (i % 3 ? smallReq(i) : bigReq(i, true)))
    if (p === 'getbody')
      await run('getbody', keepAlive(4), 4, (i) =>
        i % 3
          ? smallReq(i)
          : {
              method: i % 2 ? 'GET' : 'DELETE',
              path: i % 2 ? '/v1/workflows?limit=1' : `/v1/workflows/${wfId}x`,
              headers: auth(i),
              body: bigBody,
            },
      )
    if (p === 'direct') {
      // The user worker's own workerd socket: a loopback listener of the group's workerd that is
      // not wrangler's port (the ProxyWorker's workerd listens on edge.port). Probing a capnp port
      // logs workerd's harmless "incoming RPC message exceeds size limit".
      const ports = userWorkerPorts(edge)
      process.stdout.write(`direct: candidate ports ${ports.join(', ')}\n`)
      for (const port of ports) {
        const probe = await send({ url: `http://127.0.0.1:${port}`, agent: false }, 'GET', '/health', {})
        if (probe.headers?.['x-request-id'] === undefined) continue
        const d = { url: `http://127.0.0.1:${port}`, agent: new http.Agent({ keepAlive: true, maxSockets: 4 }) }
        await run(`direct(${port})`, d, 4, (i) => (i % 3 ? smallReq(i) : bigReq(i)))
        await run(`direct-chunked(${port})`, d, 4, (i) => (i % 3 ? smallReq(i) : bigReq(i, true)))
        break
      }
    }
  }
} finally {
  clearInterval(watcher)
  process.stdout.write(`reloads seen: ${reloads.length}\n`)
  const out = edge.output()
  await edge.stop()
  if (process.env.WF_REPRO_LOG) (await import('node:fs')).writeFileSync(process.env.WF_REPRO_LOG, out)
  const interesting = out.split('\n').filter((l) => /error|restart|reload|crash|exception|✘|warn/i.test(l) && !/"level":"info"/.test(l))
  process.stdout.write(`--- wrangler/workerd log lines of interest (${interesting.length}):\n${interesting.slice(0, 40).join('\n')}\n`)
}

function userWorkerPorts(edge) {
  const pids = execFileSync('ps', ['-o', 'pid=,pgid=,comm=', '-e'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, g, comm]) => Number(g) === edge.pgid && comm === 'workerd')
    .map(([pid]) => pid)
  const ss = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' })
  const ports = new Set()
  for (const line of ss.split('\n')) {
    if (!pids.some((pid) => line.includes(`pid=${pid},`))) continue
    const m = /127\.0\.0\.1:(\d+)/.exec(line)
    if (m && Number(m[1]) !== edge.port) ports.add(Number(m[1]))
  }
  return [...ports]
}
