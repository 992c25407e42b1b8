/**
 * The console (apps/console's build: index.html, hashed files under assets/, every URL under
 * /console/) served by the Node server exactly as the edge app's Workers Static Assets serve it
 * (apps/edge/wrangler.jsonc: `html_handling: auto-trailing-slash`, `not_found_handling:
 * single-page-application`), with the header rules of the build's own `_headers` file
 * (headers-file.ts): so both apps answer a console URL alike. For GET and HEAD under /console:
 *
 * - a file of the build: 200 with its Content-Type (content-types.ts) and the rules' headers (the
 *   CSP, nosniff, no-referrer; `no-cache`, or `immutable` under /console/assets/);
 * - `/console` and `/console/index.html`: 307 to `/console/`; a path written other than its
 *   canonical encoding (`%2F` in a segment, `//`, `%69` for `i`): 307 to the canonical one;
 * - any other path: index.html (200), the single-page app's own route — but not under
 *   /console/assets/, where a missing file is a stale reference, never a route: the API's JSON 404
 *   (the edge answers index.html there; see apps/edge/test-isolates/console.test.ts).
 *
 * Everything else under /console is the API's to answer (`consoleAnswers`): another method is its
 * JSON 405 (Allow: GET, HEAD: a known path, the wrong method, contract §5), and a console that is
 * not built is a JSON 404 that says how to build it. Files are looked up by segments decoded one
 * by one; a segment that is `.`, `..`, or holds a `/`, `\` or NUL names no file, and every path is
 * checked to stay inside the build folder.
 */
import { readFile, stat } from 'node:fs/promises'
import { resolve, sep } from 'node:path'
import { ApiError, type AppEnv } from '@wf/api'
import type { Hono } from 'hono'
import { contentTypeOf } from './content-types.js'
import { type HeaderRules, headerRules, type ParsedHeaders, parseHeadersFile } from './headers-file.js'

export const CONSOLE_BASE = '/console'
const PREFIX = `${CONSOLE_BASE}/`
/** Under here a missing file gets no single-page fallback. */
const HASHED = `${PREFIX}assets/`
/** The Workers default for a response to a request without Authorization or Range; the rules replace it. */
const DEFAULT_CACHE_CONTROL = 'public, max-age=0, must-revalidate'
export const BUILD_HINT = 'pnpm --filter @wf/console build'

export const isConsolePath = (pathname: string) => pathname === CONSOLE_BASE || pathname.startsWith(PREFIX)

export type ConsoleState = { ready: true } | { ready: false; reason: string }

export interface ConsoleServer {
  /** The build folder (the contents of apps/console/dist/console). */
  readonly dir: string
  /** The console's answer to a GET or HEAD under /console, or undefined: the API answers. */
  fetch(req: Request): Promise<Response | undefined>
  /** Whether there is a build to serve, and if not, what to do. */
  state(): Promise<ConsoleState>
}

export interface ConsoleOptions {
  dir: string
  /** Lines of the `_headers` file that were skipped (as Cloudflare skips them), on each load. */
  onInvalidRules?: (invalid: ParsedHeaders['invalid']) => void
}

type Intent = { file: string; redirect?: undefined } | { redirect: string; file?: undefined }

// Per segment, as the edge does: decode each (a bad escape stays as it is), then merge repeated slashes.
const decodePath = (p: string) =>
  p
    .split('/')
    .map((s) => {
      try {
        return decodeURIComponent(s)
      } catch {
        return s
      }
    })
    .join('/')
    .replace(/\/+/g, '/')
const encodePath = (p: string) =>
  p
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/')

export function createConsole({ dir, onInvalidRules }: ConsoleOptions): ConsoleServer {
  const root = resolve(dir)
  const indexFile = resolve(root, 'index.html')
  const rulesFile = resolve(root, '_headers')
  let loaded: { key: string; rules: HeaderRules } | undefined

  const isFile = async (path: string) => (await stat(path).catch(() => undefined))?.isFile() === true

  /** The file a URL path (decoded) names in the build, or undefined. `/index.html` is the fallback page. */
  const fileOf = (path: string): string | undefined => {
    if (path === '/index.html') return indexFile
    if (!path.startsWith(PREFIX)) return undefined
    const segments = path.slice(PREFIX.length).split('/')
    if (segments.some((s) => s === '' || s === '.' || s === '..' || /[\\\0]/.test(s))) return undefined
    const file = resolve(root, ...segments)
    if (!file.startsWith(root + sep) || file === rulesFile) return undefined
    return file
  }
  const exists = async (path: string) => {
    const file = fileOf(path)
    return file !== undefined && (await isFile(file)) ? file : undefined
  }

  // Workers' `auto-trailing-slash` HTML handling and single-page fallback (workers-shared
  // asset-worker, html-handling), over this build: same answers for the same files.
  async function intentFor(p: string, skipRedirects = false): Promise<Intent | undefined> {
    const redirect = async (file: string, destination: string): Promise<Intent | undefined> => {
      if (skipRedirects || (await exists(destination))) return undefined
      const target = await intentFor(destination, true)
      const source = await exists(file)
      return target?.file !== undefined && target.file === source ? { redirect: destination } : undefined
    }
    const exact = await exists(p)
    let found: Intent | undefined
    if (p.endsWith('/index')) {
      if (exact) return { file: exact }
      if ((found = await redirect(`${p}.html`, p.slice(0, -5)))) return found
      if ((found = await redirect(`${p.slice(0, -6)}.html`, p.slice(0, -6)))) return found
    } else if (p.endsWith('/index.html')) {
      if ((found = await redirect(p, p.slice(0, -10)))) return found
      if ((found = await redirect(`${p.slice(0, -11)}.html`, p.slice(0, -11)))) return found
    } else if (p.endsWith('/')) {
      const index = await exists(`${p}index.html`)
      if (index) return { file: index }
      if ((found = await redirect(`${p.slice(0, -1)}.html`, p.slice(0, -1)))) return found
    } else if (p.endsWith('.html')) {
      if ((found = await redirect(p, p.slice(0, -5)))) return found
      if ((found = await redirect(`${p.slice(0, -5)}/index.html`, `${p.slice(0, -5)}/`))) return found
    }
    if (exact) return { file: exact }
    const html = await exists(`${p}.html`)
    if (html) return { file: html }
    if ((found = await redirect(`${p}/index.html`, `${p}/`))) return found
    if (p.startsWith(HASHED) || p === HASHED.slice(0, -1)) return undefined
    return { file: indexFile }
  }

  /** The rules of the build's `_headers`, read again when the file changes (a rebuild). */
  async function rules(): Promise<HeaderRules | undefined> {
    const info = await stat(rulesFile).catch(() => undefined)
    if (!info?.isFile()) return undefined
    const key = `${info.mtimeMs}:${info.size}`
    if (loaded?.key !== key) {
      const text = await readFile(rulesFile, 'utf8').catch(() => undefined)
      if (text === undefined) return undefined // gone since the stat (a rebuild)
      const parsed = parseHeadersFile(text)
      if (parsed.invalid.length > 0) onInvalidRules?.(parsed.invalid)
      loaded = { key, rules: headerRules(parsed.rules) }
    }
    return loaded.rules
  }

  async function state(): Promise<ConsoleState> {
    if (!(await isFile(indexFile))) {
      return { ready: false, reason: `The console is not built (no ${indexFile}): run \`${BUILD_HINT}\` (or \`pnpm build\`), then reload.` }
    }
    if (!(await isFile(rulesFile))) {
      return {
        ready: false,
        reason: `The console's build has no _headers file (${rulesFile}), so it cannot be served with its security headers: rebuild it with \`${BUILD_HINT}\`.`,
      }
    }
    return { ready: true }
  }

  async function fetch(req: Request): Promise<Response | undefined> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined
    const url = new URL(req.url)
    const raw = url.pathname
    if (!isConsolePath(raw) || !(await isFile(indexFile))) return undefined
    const apply = await rules()
    if (apply === undefined) return undefined // never without the CSP: the API says what is wrong

    const decoded = decodePath(raw)
    const intent = await intentFor(decoded)
    if (intent === undefined) return undefined
    const encoded = encodePath(intent.redirect ?? decoded)
    let res: Response
    if (intent.redirect !== undefined || encoded !== raw) {
      res = new Response(null, { status: 307, headers: { location: encoded + url.search } })
    } else {
      const body = req.method === 'HEAD' ? null : await readFile(intent.file).catch(() => undefined)
      if (body === undefined) return undefined // gone since the lookup (a rebuild): the API's 404
      // A type Workers do not know goes without Content-Type on the edge; here @hono/node-server
      // would add text/plain to any body without one, so such bytes are said to be just bytes.
      const headers = new Headers({ 'content-type': contentTypeOf(intent.file) ?? 'application/octet-stream' })
      if (!req.headers.has('authorization') && !req.headers.has('range')) headers.set('cache-control', DEFAULT_CACHE_CONTROL)
      res = new Response(body, { status: 200, headers })
    }
    apply(raw, res.headers)
    return res
  }

  return { dir: root, fetch, state }
}

/**
 * The API's answers under /console, for what the console does not serve: another method than GET
 * or HEAD is a JSON 405 with `Allow: GET, HEAD`; a console that is not built, a JSON 404 that says
 * how to build it; a path it has no file for (under /console/assets/), the API's own 404. Added to
 * the app after createApp, so they get its request id, access log and error body.
 */
export function consoleAnswers(app: Hono<AppEnv>, site: ConsoleServer): void {
  app.use(`${CONSOLE_BASE}/*`, async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      throw new ApiError('method_not_allowed', 'Method not allowed; this path allows GET, HEAD.', undefined, { Allow: 'GET, HEAD' })
    }
    const current = await site.state()
    if (!current.ready) throw new ApiError('not_found', current.reason)
    await next()
  })
}
