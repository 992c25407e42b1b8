/**
 * Operator verbs: organisations and API keys (contract §3, §4 "Admin"). Shared by the admin
 * endpoints and the Node CLI, so both create keys the same way.
 */
import type { ApiKey, Issue, KeyMode, Organization } from '@wf/core'
import type { Deps } from '../env.js'
import { ApiError } from '../errors.js'
import { keyPrefix, newKeySecret } from '../ids.js'

type Ctx = Pick<Deps, 'store' | 'clock' | 'ids' | 'sha256Hex'>

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function checkKeys(body: Record<string, unknown>, allowed: string[], issues: Issue[]) {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) issues.push({ path: `/${key}`, message: `is not allowed: the body has only ${allowed.join(', ')}` })
  }
}

function label(value: unknown, path: string, issues: Issue[]): string {
  const text = typeof value === 'string' ? value.trim() : ''
  if (text.length === 0 || [...text].length > 255) issues.push({ path, message: 'must be a string of 1 to 255 characters' })
  return text
}

export function parseCreateOrganization(body: unknown): { name: string } {
  const issues: Issue[] = []
  if (!isObject(body)) throw ApiError.invalid([{ path: '', message: 'must be a JSON object with a name' }])
  checkKeys(body, ['name'], issues)
  const name = label(body.name, '/name', issues)
  if (issues.length > 0) throw ApiError.invalid(issues)
  return { name }
}

export function parseCreateApiKey(body: unknown): { mode: KeyMode; name: string | null } {
  const issues: Issue[] = []
  if (!isObject(body)) throw ApiError.invalid([{ path: '', message: 'must be a JSON object with a mode' }])
  checkKeys(body, ['mode', 'name'], issues)
  if (body.mode !== 'live' && body.mode !== 'sandbox') issues.push({ path: '/mode', message: 'must be one of "live", "sandbox"' })
  const name = body.name === undefined || body.name === null ? null : label(body.name, '/name', issues)
  if (issues.length > 0) throw ApiError.invalid(issues)
  return { mode: body.mode as KeyMode, name }
}

export async function createOrganization(ctx: Ctx, name: string): Promise<Organization> {
  const org: Organization = { id: ctx.ids.organization(), name, created_at: ctx.clock.now().toISOString() }
  await ctx.store.createOrganization(org)
  return org
}

/** Returns the key and its secret: the only time the secret exists outside the caller's hands. */
export async function createApiKey(
  ctx: Ctx,
  organizationId: string,
  mode: KeyMode,
  name: string | null,
): Promise<{ api_key: ApiKey; secret: string }> {
  if ((await ctx.store.getOrganization(organizationId)) === undefined) {
    throw new ApiError('not_found', `Organization ${organizationId} not found.`)
  }
  const secret = newKeySecret(mode)
  const apiKey: ApiKey = {
    id: ctx.ids.apiKey(),
    organization_id: organizationId,
    mode,
    name,
    prefix: keyPrefix(secret),
    created_at: ctx.clock.now().toISOString(),
    revoked_at: null,
  }
  await ctx.store.createApiKey(apiKey, await ctx.sha256Hex(secret))
  return { api_key: apiKey, secret }
}

export async function listApiKeys(ctx: Ctx, organizationId: string): Promise<ApiKey[]> {
  if ((await ctx.store.getOrganization(organizationId)) === undefined) {
    throw new ApiError('not_found', `Organization ${organizationId} not found.`)
  }
  return ctx.store.listApiKeys(organizationId)
}

export async function revokeApiKey(ctx: Ctx, id: string): Promise<ApiKey> {
  const key = await ctx.store.revokeApiKey(id, ctx.clock.now().toISOString())
  if (key === undefined) throw new ApiError('not_found', `API key ${id} not found.`)
  return key
}
