/** /admin/v1 (contract §4 "Admin"): organizations and keys, behind WF_ADMIN_TOKEN. */

import * as admin from '@wf/domain'
import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import { adminJsonBody } from '../middleware/write-body.js'
import { doc, ref } from '../openapi/describe.js'

const tags = ['Admin']
const obj = (props: Record<string, object>) => ({ type: 'object', required: Object.keys(props), properties: props })
const BODY_ERRORS = ['unauthorized', 'payload_too_large', 'unsupported_media_type', 'invalid_json', 'invalid_request'] as const

export function adminRoutes() {
  const r = new Hono<AppEnv>()

  r.post(
    '/organizations',
    doc({
      summary: 'Create an organization',
      tags,
      auth: 'admin',
      body: ref('CreateOrganizationRequest'),
      ok: { status: 201, description: 'Created', schema: obj({ organization: ref('Organization') }) },
      errors: [...BODY_ERRORS],
    }),
    ...adminJsonBody,
    async (c) => c.json({ organization: await admin.createOrganization(c.get('deps'), c.get('body')) }, 201),
  )

  r.post(
    '/organizations/:id/api-keys',
    doc({
      summary: 'Create an API key',
      description: 'The secret appears in this response only; only its hash is stored.',
      tags,
      auth: 'admin',
      body: ref('CreateApiKeyRequest'),
      ok: { status: 201, description: 'Created', schema: obj({ api_key: ref('ApiKey'), secret: { type: 'string' } }) },
      errors: [...BODY_ERRORS, 'not_found'],
    }),
    ...adminJsonBody,
    async (c) => c.json(await admin.createApiKey(c.get('deps'), c.req.param('id'), c.get('body')), 201),
  )

  r.get(
    '/organizations/:id/api-keys',
    doc({
      summary: "List an organization's API keys",
      description: 'Without secrets; revoked keys included.',
      tags,
      auth: 'admin',
      ok: { status: 200, description: 'The keys', schema: obj({ api_keys: { type: 'array', items: ref('ApiKey') } }) },
      errors: ['unauthorized', 'not_found'],
    }),
    async (c) => c.json({ api_keys: await admin.listApiKeys(c.get('deps'), c.req.param('id')) }),
  )

  r.delete(
    '/api-keys/:id',
    doc({
      summary: 'Revoke an API key',
      description: 'The key stops working at once. Revoking a revoked key keeps its first revoked_at.',
      tags,
      auth: 'admin',
      ok: { status: 200, description: 'The revoked key', schema: obj({ api_key: ref('ApiKey') }) },
      errors: ['unauthorized', 'not_found'],
    }),
    async (c) => c.json({ api_key: await admin.revokeApiKey(c.get('deps'), c.req.param('id')) }),
  )

  return r
}
