/**
 * The remote mode of `wf orgs …` and `wf keys …`: the same verbs on a running server's admin API
 * (/admin/v1, Node or Workers) through @wf/client, chosen by `--url` or WF_URL. The token comes from
 * WF_ADMIN_TOKEN or `--admin-token` (which `ps` shows to every user of the machine).
 */
import { createAdminClient, type FetchLike, WfConnectionError, WfError, WfTimeoutError } from '@wf/client'
import { type AdminBackend, AdminFailure } from './backend.js'
import { problemsOf } from './flags.js'
import { EXIT } from './io.js'

/** What `--url` and `--admin-token` said; they may stand anywhere before `--`. */
export interface GlobalFlags {
  url?: string
  adminToken?: string
}

const GLOBAL_FLAGS = { '--url': 'url', '--admin-token': 'adminToken' } as const

/** Takes the global flags out of the arguments (`--url X` or `--url=X`); the rest goes to the command. */
export function takeGlobalFlags(argv: readonly string[]): { flags: GlobalFlags; rest: string[]; problems: string[] } {
  const flags: GlobalFlags = {}
  const rest: string[] = []
  const problems: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') {
      rest.push(...argv.slice(i))
      break
    }
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg]
    if (!(flag in GLOBAL_FLAGS)) {
      rest.push(arg)
      continue
    }
    const key = GLOBAL_FLAGS[flag as keyof typeof GLOBAL_FLAGS]
    let value = inline
    if (value === undefined) {
      const next = argv[i + 1]
      if (next !== undefined && !next.startsWith('-')) {
        value = next
        i++
      }
    }
    if (value === undefined || value === '') problems.push(`${flag} needs a value (${flag}=VALUE for one that starts with -)`)
    else flags[key] = value
  }
  return { flags, rest, problems }
}

/** A running server's admin API; `from` says how it was named, for messages and the next command. */
export interface RemoteTarget {
  url: string
  adminToken: string
  from: 'flag' | 'env'
}

type Env = Readonly<Record<string, string | undefined>>

/**
 * The database file (undefined) or a server, from the flags first, then WF_URL / WF_ADMIN_TOKEN.
 * WF_ADMIN_TOKEN alone keeps the file: it is also what a server started from this shell reads.
 */
export function resolveTarget(flags: GlobalFlags, env: Env): { target?: RemoteTarget; problems: string[] } {
  const fromFlag = flags.url !== undefined
  const url = flags.url ?? (env.WF_URL || undefined)
  if (url === undefined) {
    if (flags.adminToken === undefined) return { problems: [] }
    return { problems: ['--admin-token needs --url (or WF_URL): without a URL, orgs and keys work on the database file'] }
  }
  const named = fromFlag ? '--url' : 'WF_URL'
  if (!isHttpUrl(url)) return { problems: [`${named} must be an http(s) URL such as http://127.0.0.1:3000; got "${url}"`] }
  const adminToken = flags.adminToken ?? (env.WF_ADMIN_TOKEN || undefined)
  if (adminToken === undefined) {
    return {
      problems: [
        `${named} needs an admin token (the server's WF_ADMIN_TOKEN): set WF_ADMIN_TOKEN, or pass --admin-token (visible to others in ps)`,
      ],
    }
  }
  return { target: { url: url.replace(/\/+$/, ''), adminToken, from: fromFlag ? 'flag' : 'env' }, problems: [] }
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol, host } = new URL(text)
    return (protocol === 'http:' || protocol === 'https:') && host !== ''
  } catch {
    return false
  }
}

/** Per attempt; list and revoke are retried after a lost answer, the creates are not. */
const TIMEOUT_MS = 30_000

/** The admin client on `target`; its errors become the same AdminFailure the file's verbs give. */
export function remoteBackend(target: RemoteTarget, fetch?: FetchLike): AdminBackend {
  const admin = createAdminClient({ baseUrl: target.url, adminToken: target.adminToken, fetch, timeoutMs: TIMEOUT_MS })
  async function explained<T>(verb: Promise<T>): Promise<T> {
    try {
      return await verb
    } catch (e) {
      throw explain(e, target.url)
    }
  }
  return {
    createOrganization: (body) => explained(admin.organizations.create(body)),
    createApiKey: async (organizationId, body) => {
      const { apiKey, secret } = await explained(admin.apiKeys.create(organizationId, body))
      return { api_key: apiKey, secret }
    },
    listApiKeys: (organizationId) => explained(admin.apiKeys.list(organizationId)),
    revokeApiKey: (keyId) => explained(admin.apiKeys.revoke(keyId)),
    close: () => {},
  }
}

/** An error of the client as the operator should read it; anything else is a bug and stays as it is. */
function explain(e: unknown, url: string): unknown {
  if (e instanceof WfConnectionError) return new AdminFailure(EXIT.problems, `wf: could not reach ${url}: ${rootCause(e)}`)
  if (e instanceof WfTimeoutError) return new AdminFailure(EXIT.problems, `wf: no answer from ${url} within ${TIMEOUT_MS / 1000} s`)
  if (!(e instanceof WfError)) return e
  // The same sentence and problems the domain verbs give the file backend: the server sends them.
  if (e.status === 400) return new AdminFailure(EXIT.usage, e.message, problemsOf(e))
  if (e.status === 401) {
    return new AdminFailure(EXIT.problems, `wf: the admin token was refused by ${url} (401): it must be that server's WF_ADMIN_TOKEN`)
  }
  // A server without WF_ADMIN_TOKEN has no /admin routes at all (contract §3).
  if (e.status === 404 && /no such route/i.test(e.message)) {
    return new AdminFailure(EXIT.problems, `wf: ${url} has no admin API (${e.message}); a server serves it only with WF_ADMIN_TOKEN set`)
  }
  if (e.status === 404) return new AdminFailure(EXIT.problems, e.message)
  const id = e.requestId === undefined ? '' : ` (request ${e.requestId})`
  return new AdminFailure(EXIT.problems, `wf: ${url} answered ${e.status} ${e.code}: ${e.message}${id}`)
}

/** fetch's own words for why there was no answer: `connect ECONNREFUSED 127.0.0.1:3000`. */
function rootCause(e: Error): string {
  let inner: unknown = e
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause
  if (!(inner instanceof Error)) return String(inner)
  return inner.message || (inner as { code?: string }).code || inner.name
}
