/** Create an organization (contract §4 "Admin"): the name follows core's one name rule. */
import { type Organization, parseCreateOrganization } from '@wf/core'
import type { DomainContext } from '../context.js'
import { DomainError } from '../errors.js'

export async function createOrganization(ctx: Pick<DomainContext, 'store' | 'clock' | 'ids'>, input: unknown): Promise<Organization> {
  const parsed = parseCreateOrganization(input)
  if (!parsed.ok) throw DomainError.invalid(parsed.issues)
  const org: Organization = { id: ctx.ids.organization(), name: parsed.value.name, created_at: ctx.clock.now().toISOString() }
  await ctx.store.createOrganization(org)
  return org
}

export const organizationNotFound = (id: string) => new DomainError('not_found', `Organization ${id} not found.`)
