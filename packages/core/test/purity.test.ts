// @wf/core runs in Node, Workers and browsers: its sources may import only typebox and each other.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import pkg from '../package.json' with { type: 'json' }

const srcDir = join(import.meta.dirname, '../src')
const sources = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(f))
  .map((f) => ({ file: f, text: readFileSync(join(srcDir, f), 'utf8') }))

const importSpecifiers = (text: string) =>
  [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!)

describe('@wf/core is pure', () => {
  it('has sources to check', () => {
    expect(sources.length).toBeGreaterThan(5)
  })

  it.each(sources)('$file imports only typebox and its own modules', ({ text }) => {
    for (const spec of importSpecifiers(text)) {
      expect(spec.startsWith('./') || spec === 'typebox' || spec.startsWith('typebox/'), spec).toBe(true)
    }
  })

  it.each(sources)('$file uses no process, I/O or global state', ({ text }) => {
    expect(text).not.toMatch(/\b(process|require|Buffer|__dirname|fetch|setTimeout|setInterval|globalThis|window)\b/)
    expect(text).not.toMatch(/\bDate\.now\(|new Date\(|Math\.random\(/)
  })

  it('the checker catches an impure import', () => {
    expect(importSpecifiers(`import { readFileSync } from 'node:fs'`)).toEqual(['node:fs'])
    expect(importSpecifiers(`export * from "hono"`)).toEqual(['hono'])
    expect(importSpecifiers(`const x = await import('drizzle-orm')`)).toEqual(['drizzle-orm'])
  })

  // typebox is a peer dependency: consumers compile the exported schemas with their own copy.
  it('depends at run time on typebox only, as a peer', () => {
    expect('dependencies' in pkg).toBe(false)
    expect(Object.keys(pkg.peerDependencies)).toEqual(['typebox'])
  })
})
