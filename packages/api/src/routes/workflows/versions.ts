/** GET /v1/workflows/:id/versions and /versions/:n: every version ever written (contract §4). */
import { getVersion, listVersions } from '@wf/domain'
import type { Hono } from 'hono'
import type { AppEnv } from '../../env.js'
import { doc, ref } from '../../openapi/describe.js'
import { deps, tags, versionParam } from './shared.js'

export function versionRoutes(r: Hono<AppEnv>): void {
  r.get(
    '/workflows/:id/versions',
    doc({
      summary: 'List the versions of a workflow',
      description: 'Every version ever written, newest first; immutable.',
      tags,
      auth: 'key',
      ok: {
        status: 200,
        description: 'The versions',
        schema: { type: 'object', required: ['versions'], properties: { versions: { type: 'array', items: ref('WorkflowVersion') } } },
      },
      errors: ['unauthorized', 'rate_limited', 'not_found'],
    }),
    async (c) => c.json({ versions: await listVersions(deps(c), c.get('caller'), c.req.param('id')) }),
  )

  r.get(
    '/workflows/:id/versions/:n',
    doc({
      summary: 'Retrieve one version of a workflow',
      tags,
      auth: 'key',
      ok: {
        status: 200,
        description: 'The version',
        schema: { type: 'object', required: ['version'], properties: { version: ref('WorkflowVersion') } },
      },
      errors: ['unauthorized', 'rate_limited', 'invalid_request', 'not_found'],
    }),
    async (c) => {
      const version = await getVersion(deps(c), c.get('caller'), c.req.param('id'), versionParam(c.req.param('n')))
      return c.json({ version })
    },
  )
}
