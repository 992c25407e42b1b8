/** An organization with a live and a sandbox key for each test, through the admin API. */
import { createAdminClient, createClient } from '@wf/client'
import '@wf/conformance/provided'
import { inject } from 'vitest'

export const target = inject('target')
export const baseUrl = inject('baseUrl')
export const limitedUrl = inject('limitedUrl')

export async function newOrg(name: string, url = baseUrl) {
  const admin = createAdminClient({ baseUrl: url, adminToken: inject('adminToken') })
  const org = await admin.organizations.create({ name })
  const live = await admin.apiKeys.create(org.id, { mode: 'live' })
  const sandbox = await admin.apiKeys.create(org.id, { mode: 'sandbox' })
  return { org, live: live.secret, sandbox: sandbox.secret, api: createClient({ baseUrl: url, apiKey: live.secret }) }
}
