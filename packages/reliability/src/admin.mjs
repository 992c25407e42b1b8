// Admin and API helpers of the reliability suite: organizations, API keys, walking every list page.
import { request } from './http.mjs'
import { ADMIN_TOKEN, noteSecret } from './servers.mjs'

// ---------------------------------------------------------------------------------------------
// Admin helpers
// ---------------------------------------------------------------------------------------------

const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` }

export async function createOrg(srv, name) {
  const res = await request(srv, 'POST', '/admin/v1/organizations', { headers: adminHeaders, body: { name } })
  if (res.status !== 201) throw new Error(`create organization: ${res.status} ${res.text}`)
  return res.json.organization
}

export async function createKey(srv, orgId, mode) {
  const res = await request(srv, 'POST', `/admin/v1/organizations/${orgId}/api-keys`, { headers: adminHeaders, body: { mode } })
  if (res.status !== 201) throw new Error(`create key: ${res.status} ${res.text}`)
  noteSecret(res.json.secret)
  return { id: res.json.api_key.id, secret: res.json.secret }
}

export async function revokeKey(srv, keyId) {
  const res = await request(srv, 'DELETE', `/admin/v1/api-keys/${keyId}`, { headers: adminHeaders })
  if (res.status !== 200) throw new Error(`revoke key: ${res.status} ${res.text}`)
}

/** Walks every page of GET /v1/workflows; returns the summaries in walk order. */
export async function listAll(srv, key, limit = 50, extraQuery = '') {
  const out = []
  let cursor = null
  let pages = 0
  do {
    const q = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}${extraQuery}`
    const res = await request(srv, 'GET', `/v1/workflows?${q}`, { headers: { 'x-api-key': key } })
    if (res.status !== 200) throw new Error(`list walk: ${res.status} ${res.text}`)
    out.push(...res.json.workflows)
    cursor = res.json.next_cursor
    if (++pages > 10_000) throw new Error('list walk did not end after 10000 pages')
  } while (cursor !== null)
  return out
}
