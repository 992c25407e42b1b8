import { describe, expect, it } from 'vitest'
import type { CliIo } from './io.js'
import { main } from './main.js'

function run(argv: string[], files: Record<string, string> = {}) {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: async (p) => {
      const text = files[p]
      if (text === undefined) throw new Error(`ENOENT: no such file '${p}'`)
      return text
    },
  }
  return main(argv, io).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }))
}

const valid = JSON.stringify({ name: 'KYC', steps: [{ id: 'FACE_LIVENESS' }] })
const invalid = JSON.stringify({ name: '', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 0 } }] })

describe('wf validate', () => {
  it('prints the resolved workflow and exits 0', async () => {
    const r = await run(['validate', 'w.json'], { 'w.json': valid })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual({ name: 'KYC', steps: [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 70 } }] })
  })

  it('prints each problem with its path and exits 1', async () => {
    const r = await run(['validate', 'w.json'], { 'w.json': invalid })
    expect(r.code).toBe(1)
    expect(r.err).toContain('/name: must not be empty')
    expect(r.err).toContain('/steps/0/config/confidence_threshold: must be an integer from 1 to 100')
  })

  it('--json gives a machine-readable result', async () => {
    const r = await run(['validate', '--json', 'w.json'], { 'w.json': invalid })
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out).issues).toHaveLength(2)
  })

  it('reports a file that is not JSON as a problem at the body', async () => {
    const r = await run(['validate', 'w.json'], { 'w.json': '{"name":' })
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/\(body\): is not valid JSON/)
  })

  it.each([[['validate']], [['validate', 'a', 'b']], [['validate', '--nope', 'w.json']], [['frobnicate']], [[]]])(
    'exits 2 on a usage error: %j',
    async (argv) => {
      expect((await run(argv, { 'w.json': valid })).code).toBe(2)
    },
  )

  it('exits 2 when the file cannot be read', async () => {
    const r = await run(['validate', 'missing.json'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('cannot read missing.json')
  })

  it('has help', async () => {
    expect((await run(['--help'])).out).toContain('validate FILE')
    const r = await run(['validate', '--help'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('Exit codes')
  })
})
