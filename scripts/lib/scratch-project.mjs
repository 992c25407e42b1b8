// A package as another team gets it, for the packages' own tests: packed into tarballs and
// installed offline into a scratch project in a temporary folder. Workspace packages are packed
// with pnpm (which rewrites `workspace:*`); registry packages (typebox) are packed with npm from a
// copy (npm packs a folder only from inside it, and not inside pnpm's store).
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The environment of a user's shell: without the npm_* variables pnpm/turbo set for a script. */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)))

/** Runs a command; resolves with its exit code and output, never rejects. */
export function exec(cmd, args, cwd) {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, out: `${stdout}${stderr}` })
    })
  })
}

/** Runs a command; rejects with its output unless it exits 0. */
export async function ok(cmd, args, cwd) {
  const { code, out } = await exec(cmd, args, cwd)
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${code}:\n${out}`)
  return out
}

const tgzIn = (dir) => readdirSync(dir).filter((f) => f.endsWith('.tgz'))

/**
 * Packs `workspace` package folders (pnpm) and `registry` package folders (npm, from a copy),
 * writes `files` into a fresh scratch project and installs every tarball there with --offline.
 * Returns the folders, the tarball of each package by its name, and a cleanup.
 */
export async function scratchProject({ prefix, workspace, registry = [], files }) {
  const work = mkdtempSync(join(tmpdir(), prefix))
  const packs = join(work, 'packs')
  const npmCache = join(work, 'npm-cache')
  mkdirSync(packs)
  const tarballs = {}
  const collect = (name) => {
    const fresh = tgzIn(packs).find((f) => !Object.values(tarballs).includes(join(packs, f)))
    tarballs[name] = join(packs, fresh)
  }
  for (const dir of workspace) {
    await ok('pnpm', ['pack', '--pack-destination', packs], dir)
    collect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name)
  }
  for (const dir of registry) {
    const copy = join(work, `copy-${Object.keys(tarballs).length}`)
    cpSync(realpathSync(dir), copy, { recursive: true })
    await ok('npm', ['pack', '--ignore-scripts', '--cache', npmCache, '--pack-destination', packs], copy)
    collect(JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')).name)
  }
  const scratch = join(work, 'scratch')
  mkdirSync(scratch)
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(scratch, name), text)
  await ok(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--cache', npmCache, ...Object.values(tarballs)],
    scratch,
  )
  return { work, scratch, tarballs, cleanup: () => rmSync(work, { recursive: true, force: true }) }
}

/** The Web APIs every browser has, and nothing of Node (no require, process, Buffer). */
const BROWSER_GLOBALS = {
  ...{ Response, Headers, Request, AbortController, AbortSignal, DOMException, TextEncoder, TextDecoder, URL, URLSearchParams },
  ...{ atob, btoa, setTimeout, clearTimeout, queueMicrotask, structuredClone, console, crypto: globalThis.crypto },
}

/**
 * Bundles `entry` of the scratch project as a browser would get it (esbuild, iife) and runs it in a
 * fresh realm with only browser globals; the entry sets `globalThis[resultName]` (maybe later, after
 * promises settle). esbuild's `build` is passed in: it resolves from the calling package.
 */
export async function runInBrowserRealm(build, scratch, entry, resultName) {
  const bundled = await build({
    entryPoints: [join(scratch, entry)],
    absWorkingDir: scratch,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const code = bundled.outputFiles[0].text
  const realm = { ...BROWSER_GLOBALS }
  const { runInNewContext } = await import('node:vm')
  runInNewContext(code, realm)
  for (let i = 0; i < 500 && realm[resultName] === undefined; i++) await new Promise((r) => setTimeout(r, 10))
  return { code, metafile: bundled.metafile, result: realm[resultName] }
}

/**
 * Bundles `entry` as a Worker (conditions workerd, worker, browser) and answers one request with it
 * in workerd through Miniflare (passed in, like `build`), without Node compatibility.
 */
export async function fetchFromWorkerd(build, Miniflare, scratch, entry) {
  const bundled = await build({
    entryPoints: [join(scratch, entry)],
    absWorkingDir: scratch,
    bundle: true,
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    format: 'esm',
    write: false,
    logLevel: 'silent',
  })
  const script = bundled.outputFiles[0].text
  const mf = new Miniflare({ modules: true, script, compatibilityDate: '2025-09-01' })
  try {
    const res = await mf.dispatchFetch('http://scratch.test/')
    return { script, status: res.status, text: await res.text() }
  } finally {
    await mf.dispose()
  }
}
