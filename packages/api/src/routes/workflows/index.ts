/** /v1/workflows (contract §4): one file per operation; each parses HTTP, calls a verb, shapes the answer. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env.js'
import { archiveRoute } from './archive.js'
import { createRoute } from './create.js'
import { listRoute } from './list.js'
import { retrieveRoute } from './retrieve.js'
import { stepConfigRoute } from './step-config.js'
import { updateRoute } from './update.js'
import { versionRoutes } from './versions.js'

export function workflowRoutes(): Hono<AppEnv> {
  const r = new Hono<AppEnv>()
  for (const register of [createRoute, listRoute, retrieveRoute, updateRoute, archiveRoute, stepConfigRoute, versionRoutes]) register(r)
  return r
}
