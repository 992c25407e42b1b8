/**
 * API keys of an organization (contract §3, §4 "Admin"): create one (its secret exists outside the
 * caller's hands only in this answer), list them (never a secret), revoke one (refused from the
 * next request on).
 */
import { type ApiKey, parseCreateApiKey } from '@wf/core'
import type { DomainContext } from '../context.js'
import { DomainError } from '../errors.js'
import { keyPrefix, newKeySecret } from '../keys.js'
import { organizationNotFound } from './organizations.js'

type Ctx = Pick<DomainContext, 'store' | 'clock' | 'ids' | 'sha256Hex'>

export async function createApiKey(ctx: Ctx, organizationId: string, input: unknown): Promise<{ api_key: ApiKey; secret: string }> {
  const parsed = parseCreateApiKey(input)
  if (!parsed.ok) throw DomainError.invalid(parsed.issues)
  if ((await ctx.store.getOrganization(organizationId)) === undefined) throw organizationNotFound(organizationId)
  const { mode, name } = parsed.value
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
  // Stored as SHA-256: a secret carries 256 random bits, so a fast hash cannot be reversed.
  await ctx.store.createApiKey(apiKey, await ctx.sha256Hex(secret))
  return { api_key: apiKey, secret }
}

export async function listApiKeys(ctx: Pick<DomainContext, 'store'>, organizationId: string): Promise<ApiKey[]> {
  if ((await ctx.store.getOrganization(organizationId)) === undefined) throw organizationNotFound(organizationId)
  return ctx.store.listApiKeys(organizationId)
}

export async function revokeApiKey(ctx: Pick<DomainContext, 'store' | 'clock'>, id: string): Promise<ApiKey> {
  const key = await ctx.store.revokeApiKey(id, ctx.clock.now().toISOString())
  if (key === undefined) throw new DomainError('not_found', `API key ${id} not found.`)
  return key
}
