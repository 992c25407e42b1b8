#!/usr/bin/env node
// `pnpm --filter @wf/bench run profile ["<case>"] [seconds]`: the server under `node --cpu-prof` on the
// benchmark's seeded database, one case under load, then the functions with the most self time.
// What BENCHMARKS.md's profiles come from. Without a case name it lists the cases.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchCases, load } from './cases.mjs'
import { boundInTime, SERVER_MAIN, serverEnv, startOnCore0, stop } from './processes.mjs'
import { seed } from './seed.mjs'

const [name, seconds = '8'] = process.argv.slice(2)
const names = Object.keys(benchCases({ server: { url: '' }, orgs: { big: {}, small: {} } }))
if (!names.includes(name)) {
  console.log(`cases:\n${names.map((n) => `  "${n}"`).join('\n')}`)
  process.exit(name === undefined ? 0 : 2)
}
boundInTime(120 + Number(seconds) * 2)

const dir = mkdtempSync(join(tmpdir(), 'wf-profile-'))
const orgs = await seed(join(dir, 'bench.sqlite'), { big: 100_000, small: 1_000 })
// PROFILE_STDOUT=pipe: the server's stdout is a pipe read by this process (as under a log shipper),
// not /dev/null.
const stdout = process.env.PROFILE_STDOUT === 'pipe' ? 'pipe' : 'ignore'
const server = await startOnCore0(SERVER_MAIN, serverEnv(join(dir, 'bench.sqlite')), ['--cpu-prof', `--cpu-prof-dir=${dir}`], { stdout })
const testCase = benchCases({ server, orgs })[name]
await load(name, testCase, 1) // warm-up
const r = await load(name, testCase, Number(seconds))
await stop(server.child)

// Self time per function: each sample is charged to the node on top of the stack.
const profile = JSON.parse(
  readFileSync(
    join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('.cpuprofile')),
    ),
    'utf8',
  ),
)
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const self = new Map()
for (const id of profile.samples) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame
  const where = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^file:\/\/.*\/(packages|apps)\//, '$1/')}:${lineNumber + 1}`
  self.set(where, (self.get(where) ?? 0) + 1)
}
const total = profile.samples.length
console.log(`${name}: ${Math.round(r.requests.average)} req/s under the profiler; ${total} samples`)
console.table(
  [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(process.env.PROFILE_TOP ?? 25))
    .map(([where, n]) => ({ 'self %': ((n / total) * 100).toFixed(1), where })),
)
// The same samples by where the code lives: a package, our own packages, Node itself, native code.
const area = (where) => {
  if (/^\((idle|program|garbage collector)\) /.test(where)) return where.split(' :')[0]
  const path = where.slice(where.lastIndexOf(' ') + 1).replace(/:\d+$/, '')
  if (path === '') return 'native (no script)'
  if (path.startsWith('node:')) return 'node: internals'
  const parts = path.split('/')
  return parts[0].startsWith('@') || parts[0] === 'packages' || parts[0] === 'apps' ? parts.slice(0, 2).join('/') : parts[0]
}
const byArea = new Map()
for (const [where, n] of self) byArea.set(area(where), (byArea.get(area(where)) ?? 0) + n)
console.table(
  [...byArea.entries()].sort((a, b) => b[1] - a[1]).map(([where, n]) => ({ 'self %': ((n / total) * 100).toFixed(1), area: where })),
)
// The access log's share: samples with the server's logger (apps/server/dist/logger.js) on the
// stack, its writes included; and of the samples in writev, how many the logger made.
const parentOf = new Map()
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)
const underLogger = (id) => {
  for (let at = id; at !== undefined; at = parentOf.get(at))
    if (byId.get(at).callFrame.url.endsWith('apps/server/dist/logger.js')) return true
  return false
}
let logged = 0
let writev = 0
let writevLogged = 0
const loggerSelf = new Map()
for (const id of profile.samples) {
  const inLogger = underLogger(id)
  if (inLogger) {
    logged++
    const { functionName } = byId.get(id).callFrame
    loggerSelf.set(functionName || '(anonymous)', (loggerSelf.get(functionName || '(anonymous)') ?? 0) + 1)
  }
  if (byId.get(id).callFrame.functionName === 'writev') {
    writev++
    if (inLogger) writevLogged++
  }
}
const pct = (n, of) => `${((n / of) * 100).toFixed(1)} %`
console.log(
  `stdout to ${stdout === 'pipe' ? 'a pipe' : '/dev/null'}: the access log (logger.js and what it calls) ${pct(logged, total)} of samples; ` +
    `writev ${pct(writev, total)}, of which the logger's ${writev ? pct(writevLogged, writev) : '–'}`,
)
console.log(
  `  the logger's samples by function: ${[...loggerSelf.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([f, n]) => `${f} ${pct(n, total)}`)
    .join(', ')}`,
)
if (process.env.PROFILE_KEEP) console.log(`profile kept in ${dir}`)
else rmSync(dir, { recursive: true, force: true })
process.exit(0)
