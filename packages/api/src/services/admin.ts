/**
 * Operator verbs: organisations and API keys (contract §3, §4 "Admin"). Shared by the admin
 * endpoints and the Node CLI, so both create keys the same way.
 */

import type { ApiKey, KeyMode, Organization } from '@wf/core'
import * as core from '@wf/core'
import { keyPrefix, newKeySecret } from '@wf/domain'
import type { Deps } from '../env.js'
import { ApiError } from '../errors.js'

type Ctx = Pick<Deps, 'store' | 'clock' | 'ids' | 'sha256Hex'>

/** The body of POST /admin/v1/organizations, checked by core's rules. */
export function parseCreateOrganization(body: unknown): { name: string } {
  const parsed = core.parseCreateOrganization(body)
  if (!parsed.ok) throw ApiError.invalid(parsed.issues)
  return parsed.value
}

/** The body of POST /admin/v1/organizations/{id}/api-keys, checked by core's rules. */
export function parseCreateApiKey(body: unknown): { mode: KeyMode; name: string | null } {
  const parsed = core.parseCreateApiKey(body)
  if (!parsed.ok) throw ApiError.invalid(parsed.issues)
  return parsed.value
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
