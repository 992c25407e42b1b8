/**
 * Validation of the admin request bodies (contract §4 "Admin"): organizations and API keys. Their
 * compiled shapes decide (gate.ts); names follow the same rule as workflow names (name.ts), and the
 * walk below words each problem. Never throws on a JSON value.
 */
import type { KeyMode } from './admin-schemas.js'
import { CREATE_API_KEY, CREATE_ORGANIZATION } from './gate.js'
import { IssueList, isObject, type ParseResult, pointerToken } from './issues.js'
import { parseName } from './name.js'

function refuseOtherFields(body: Record<string, unknown>, allowed: readonly string[], issues: IssueList): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) issues.add(`/${pointerToken(key)}`, `is not allowed: the body has only ${allowed.join(', ')}`)
  }
}

/** POST /admin/v1/organizations: `{ "name" }`. */
export function parseCreateOrganization(body: unknown): ParseResult<{ name: string }> {
  const issues = new IssueList()
  const shapeOk = CREATE_ORGANIZATION.check(body)
  if (!isObject(body)) {
    issues.add('', 'must be a JSON object with a name')
    return issues.result({ name: '' })
  }
  refuseOtherFields(body, ['name'], issues)
  const name = parseName(body.name, '/name', issues)
  CREATE_ORGANIZATION.backstop(body, shapeOk, issues)
  return issues.result({ name })
}

/** POST /admin/v1/organizations/{id}/api-keys: `{ "mode", "name"? }` (a null name is no name). */
export function parseCreateApiKey(body: unknown): ParseResult<{ mode: KeyMode; name: string | null }> {
  const issues = new IssueList()
  const shapeOk = CREATE_API_KEY.check(body)
  if (!isObject(body)) {
    issues.add('', 'must be a JSON object with a mode')
    return issues.result({ mode: 'live', name: null })
  }
  refuseOtherFields(body, ['mode', 'name'], issues)
  const mode = body.mode
  if (mode !== 'live' && mode !== 'sandbox') issues.add('/mode', 'must be one of "live", "sandbox"')
  const name = body.name === undefined || body.name === null ? null : parseName(body.name, '/name', issues)
  CREATE_API_KEY.backstop(body, shapeOk, issues)
  return issues.result({ mode: mode === 'sandbox' ? 'sandbox' : 'live', name })
}
