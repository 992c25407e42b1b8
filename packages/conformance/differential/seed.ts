/**
 * The state both apps start from, made through the API itself, on each app in the same order
 * (and compared like every other request): organization A with a live, a sandbox and a revoked
 * key; organization B with a live key; organization C with a live key for the writes whose effect
 * may differ between the apps (so one divergent create does not change A's lists for the rest of
 * the run); a few workflows in A (one archived) and one in B.
 *
 * Variables (per app): org, orgB, orgC; key, sandbox, keyB, keyC, revoked (secrets); keyId,
 * sandboxId, keyBId, revokedId; wf (five steps), wf2, wf3 (small), archived, wfB (organization B).
 */
import { EXAMPLE_CREATE_WORKFLOW } from '@wf/core'
import { ADMIN_TOKEN } from '../test/launch.js'
import type { Pair } from './run.js'
import type { Case } from './send.js'

export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` }
export const JSON_TYPE = { 'content-type': 'application/json' }
export const json = (value: unknown) => JSON.stringify(value)

export const SMALL = { name: 'Small', steps: [{ id: 'PEP_SANCTIONS' }] }

const admin = (path: string, body: unknown, save: Record<string, string>): Case => ({
  method: 'POST',
  path,
  headers: { ...ADMIN, ...JSON_TYPE },
  body: json(body),
  save,
})
const create = (key: string, body: unknown, save: Record<string, string>): Case => ({
  method: 'POST',
  path: '/v1/workflows',
  headers: { 'x-api-key': `{${key}}`, ...JSON_TYPE },
  body: json(body),
  save,
})

export const SEED: Case[] = [
  admin('/admin/v1/organizations', { name: 'Org A' }, { org: '/organization/id' }),
  admin('/admin/v1/organizations', { name: 'Org B' }, { orgB: '/organization/id' }),
  admin('/admin/v1/organizations', { name: 'Org C (divergent writes)' }, { orgC: '/organization/id' }),
  admin('/admin/v1/organizations/{org}/api-keys', { mode: 'live', name: 'A live' }, { key: '/secret', keyId: '/api_key/id' }),
  admin('/admin/v1/organizations/{org}/api-keys', { mode: 'sandbox', name: 'A sandbox' }, { sandbox: '/secret', sandboxId: '/api_key/id' }),
  admin('/admin/v1/organizations/{org}/api-keys', { mode: 'live', name: 'A revoked' }, { revoked: '/secret', revokedId: '/api_key/id' }),
  { method: 'DELETE', path: '/admin/v1/api-keys/{revokedId}', headers: { ...ADMIN } },
  admin('/admin/v1/organizations/{orgB}/api-keys', { mode: 'live' }, { keyB: '/secret', keyBId: '/api_key/id' }),
  admin('/admin/v1/organizations/{orgC}/api-keys', { mode: 'live' }, { keyC: '/secret', keyCId: '/api_key/id' }),
  create('key', EXAMPLE_CREATE_WORKFLOW, { wf: '/workflow/id' }),
  create('key', SMALL, { wf2: '/workflow/id' }),
  create('key', { name: 'Third', steps: [{ id: 'FACE_LIVENESS' }, { id: 'AGE_ESTIMATION' }] }, { wf3: '/workflow/id' }),
  create('key', { name: 'To archive', steps: [{ id: 'ADVERSE_MEDIA' }] }, { archived: '/workflow/id' }),
  { method: 'DELETE', path: '/v1/workflows/{archived}', headers: { 'x-api-key': '{key}' } },
  create('keyB', { name: 'Org B workflow', steps: [{ id: 'FACE_LIVENESS' }] }, { wfB: '/workflow/id' }),
  create('keyC', SMALL, { wfC: '/workflow/id' }),
]

/** Runs the seed on both apps; throws (with both answers) if the apps do not agree on it. */
export async function seed(pair: Pair): Promise<void> {
  for (const [i, c] of SEED.entries()) {
    const outcome = await pair.exchange(c, `s${i + 1}`)
    const ok = typeof outcome.node.status === 'number' && outcome.node.status < 300
    if (outcome.differs.length > 0 || !ok) throw new Error(`the seed failed:\n${outcome.report()}`)
  }
}
