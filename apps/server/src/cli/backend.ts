/**
 * Where `wf orgs …` and `wf keys …` do their work: the four admin verbs behind one interface, so
 * the commands (arguments, output, exit codes) are written once. Two implementations: the domain
 * verbs on the server's database file (here) and the admin API of a running server (remote.ts).
 */
import type { ApiKey, CreateApiKeyRequest, CreateOrganizationRequest, Organization } from '@wf/core'
import { createApiKey, createOrganization, DomainError, listApiKeys, revokeApiKey } from '@wf/domain'
import { type Problem, problemsOf } from './flags.js'
import { type AdminHandle, EXIT } from './io.js'

/** The admin verbs, with the results in their wire shapes (what `--json` prints). */
export interface AdminBackend {
  createOrganization(body: CreateOrganizationRequest): Promise<Organization>
  createApiKey(organizationId: string, body: CreateApiKeyRequest): Promise<{ api_key: ApiKey; secret: string }>
  listApiKeys(organizationId: string): Promise<ApiKey[]>
  revokeApiKey(keyId: string): Promise<ApiKey>
  close(): void | Promise<void>
}

/**
 * A verb refused, in the commands' terms, whichever backend refused it: the exit code, a sentence,
 * and the problems at body pointers (the commands name them by flag).
 */
export class AdminFailure extends Error {
  override name = 'AdminFailure'
  constructor(
    readonly exitCode: (typeof EXIT)[keyof typeof EXIT],
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message)
  }
}

/** The domain verbs on the database file: invalid input is a usage error (2), anything else 1. */
export function fileBackend(handle: AdminHandle): AdminBackend {
  const { ctx } = handle
  return {
    createOrganization: (body) => explained(createOrganization(ctx, body)),
    createApiKey: (organizationId, body) => explained(createApiKey(ctx, organizationId, body)),
    listApiKeys: (organizationId) => explained(listApiKeys(ctx, organizationId)),
    revokeApiKey: (keyId) => explained(revokeApiKey(ctx, keyId)),
    close: () => handle.close(),
  }
}

async function explained<T>(verb: Promise<T>): Promise<T> {
  try {
    return await verb
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    throw new AdminFailure(e.code === 'invalid_request' ? EXIT.usage : EXIT.problems, e.message, problemsOf(e))
  }
}
