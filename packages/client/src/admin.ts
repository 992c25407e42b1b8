/**
 * `createAdminClient`: organizations and API keys over /admin/v1 (contract §4 "Admin"), with the
 * operator's `WF_ADMIN_TOKEN`. The creates are not retried after a lost answer (the admin API has
 * no idempotency key: a retry could make a second organization or key); list and revoke are.
 */
import type { ApiKey, CreateApiKeyRequest, CreateOrganizationRequest, Organization } from '@wf/core'
import { createTransport, type FetchLike } from './transport.js'
import type { RequestOptions } from './workflows.js'

export interface AdminClientOptions {
  baseUrl: string
  adminToken: string
  fetch?: FetchLike | undefined
  maxRetries?: number | undefined
  timeoutMs?: number | undefined
  signal?: AbortSignal | undefined
}

export interface CreatedApiKey {
  apiKey: ApiKey
  /** The key itself (`wf_live_…`): shown this once, stored by the server only as a hash. */
  secret: string
}

export function createAdminClient(options: AdminClientOptions) {
  if (typeof options.adminToken !== 'string' || options.adminToken === '') throw new TypeError('adminToken is required')
  const transport = createTransport({ ...options, headers: { authorization: `Bearer ${options.adminToken}` } })
  const orgPath = (id: string) => `/admin/v1/organizations/${encodeURIComponent(id)}/api-keys`

  return {
    organizations: {
      async create(body: CreateOrganizationRequest, options: RequestOptions = {}): Promise<Organization> {
        const answer = await transport.request<{ organization: Organization }>({
          method: 'POST',
          path: '/admin/v1/organizations',
          body,
          safety: 'unsafe',
          signal: options.signal,
        })
        return answer.organization
      },
    },
    apiKeys: {
      async create(organizationId: string, body: CreateApiKeyRequest, options: RequestOptions = {}): Promise<CreatedApiKey> {
        const answer = await transport.request<{ api_key: ApiKey; secret: string }>({
          method: 'POST',
          path: orgPath(organizationId),
          body,
          safety: 'unsafe',
          signal: options.signal,
        })
        return { apiKey: answer.api_key, secret: answer.secret }
      },
      /** The organization's keys, revoked ones included; never their secrets. */
      async list(organizationId: string, options: RequestOptions = {}): Promise<ApiKey[]> {
        const answer = await transport.request<{ api_keys: ApiKey[] }>({
          method: 'GET',
          path: orgPath(organizationId),
          safety: 'idempotent',
          signal: options.signal,
        })
        return answer.api_keys
      },
      /** Revokes the key at once; revoking a revoked key keeps its first `revoked_at`. */
      async revoke(keyId: string, options: RequestOptions = {}): Promise<ApiKey> {
        const answer = await transport.request<{ api_key: ApiKey }>({
          method: 'DELETE',
          path: `/admin/v1/api-keys/${encodeURIComponent(keyId)}`,
          safety: 'idempotent',
          signal: options.signal,
        })
        return answer.api_key
      },
    },
  }
}

export type AdminClient = ReturnType<typeof createAdminClient>
