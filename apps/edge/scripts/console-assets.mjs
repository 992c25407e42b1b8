#!/usr/bin/env node
// The edge app's static assets (wrangler.jsonc `assets.directory`: dist/assets), made from the
// console's build, apps/console/dist/console/ (every URL under /console/):
//
//   dist/assets/console/…   the built files, served at /console/… (all but _headers)
//   dist/assets/_headers    the console's header rules (apps/console/public/_headers, copied by
//                           Vite): Workers Static Assets read _headers at the ROOT of the assets
//                           directory only
//   dist/assets/index.html  the console's index.html again: the single-page-application fallback
//                           serves the root /index.html for a path under /console/ that is no file
//
// The console's own dist/ has neither file at its root, so it cannot be the assets directory as it
// is. Made whole again (new hashed names with every console build) and swapped in, only when the
// console's build has changed since (a `wrangler dev` may be serving the folder).
// `pnpm --filter @wf/edge build` and `dev` run it, and so does the workerd tests' config.
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/console/', import.meta.url))
export const ASSETS_DIR = fileURLToPath(new URL('../dist/assets/', import.meta.url))

/**
 * Copies the console's build (`from`) into an assets directory (`to`), by default dist/assets; throws
 * with what to run when there is no build. Returns `to`.
 */
export function stageConsoleAssets({ from = CONSOLE_DIST, to = ASSETS_DIR } = {}) {
  for (const file of ['index.html', '_headers']) {
    if (!existsSync(join(from, file))) {
      throw new Error(`${join(from, file)} is missing: build the console first (pnpm --filter @wf/console build)`)
    }
  }
  // What the build is made of: each file's path, size and time. Kept beside the folder (anything in
  // it would be served).
  const stamp = JSON.stringify(
    readdirSync(from, { recursive: true })
      .map(String)
      .sort()
      .map((rel) => {
        const info = statSync(join(from, rel))
        return info.isFile() ? [rel, info.size, info.mtimeMs] : [rel]
      }),
  )
  const stampFile = to.replace(/\/?$/, '.stamp')
  if (existsSync(to) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return to
  const next = to.replace(/\/?$/, '.next')
  rmSync(next, { recursive: true, force: true })
  mkdirSync(next, { recursive: true })
  cpSync(from, join(next, 'console'), { recursive: true, filter: (src) => src !== join(from, '_headers') })
  copyFileSync(join(from, '_headers'), join(next, '_headers'))
  copyFileSync(join(from, 'index.html'), join(next, 'index.html'))
  rmSync(to, { recursive: true, force: true })
  renameSync(next, to)
  writeFileSync(stampFile, stamp)
  return to
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.stdout.write(`console assets: ${stageConsoleAssets()}\n`)
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : e}\n`)
    process.exit(1)
  }
}
