/**
 * GET /openapi.json: the OpenAPI 3.1 document, assembled from the routes' own `doc(...)`
 * descriptions, with core's TypeBox schemas (the ones that validate requests) as its components.
 * One source of truth: a route without a description would be missing, and a test fails on that.
 *
 * Written here rather than with hono-openapi: measured in the Worker bundle, hono-openapi brought
 * ~240 KiB of schema-vendor converters (zod among them) to do this walk over `app.routes`.
 */
import * as core from '@wf/core'
import type { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import type { DocumentedMiddleware } from './describe.js'

// Every step's config schemas come from the catalog, so a new step brings its own components.
const COMPONENTS = [
  core.StepId,
  core.WorkflowStatus,
  ...core.STEP_CONFIG_SCHEMAS,
  core.StepRequest,
  core.WorkflowStep,
  core.CreateWorkflowRequest,
  core.UpdateWorkflowRequest,
  core.UpdateStepConfigRequest,
  core.Workflow,
  core.WorkflowSummary,
  core.WorkflowVersion,
  core.IssueSchema,
  core.ErrorBody,
  core.KeyMode,
  core.Organization,
  core.ApiKey,
  core.CreateOrganizationRequest,
  core.CreateApiKeyRequest,
] as const

/** Replaces each nested schema that has a `$id` with a `$ref` to its component. */
function componentize(schema: unknown, top: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((s) => componentize(s, false))
  if (schema === null || typeof schema !== 'object') return schema
  const { $id, ...rest } = schema as Record<string, unknown>
  if (!top && typeof $id === 'string') return { $ref: `#/components/schemas/${$id}` }
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, componentize(v, false)]))
}

export function componentSchemas(): Record<string, unknown> {
  return Object.fromEntries(COMPONENTS.map((s) => [(s as unknown as { $id: string }).$id, componentize(s, true)]))
}

const isDocumented = (handler: unknown): handler is DocumentedMiddleware => typeof handler === 'function' && 'openapi' in handler

/** `/v1/workflows/:id` → `/v1/workflows/{id}` and its path parameters. */
function openApiPath(path: string) {
  const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!)
  return {
    path: path.replace(/:(\w+)/g, '{$1}'),
    parameters: names.map((name) => ({ in: 'path', name, required: true, schema: { type: 'string' } })),
  }
}

export function openApiDocument(app: Hono<AppEnv>): object {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of app.routes) {
    if (!isDocumented(route.handler)) continue
    const { path, parameters } = openApiPath(route.path)
    const operation = route.handler.openapi
    const own = (operation.parameters as object[] | undefined) ?? []
    ;(paths[path] ??= {})[route.method.toLowerCase()] = {
      ...operation,
      ...(parameters.length + own.length > 0 ? { parameters: [...parameters, ...own] } : {}),
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'wf Workflow Management API',
      version: '1.0.0',
      description:
        'Verification workflows for identity verification (KYC). Wire-compatible with the deepidv ' +
        'Workflows API; adds pagination, versions, archive, idempotent create, optimistic ' +
        'concurrency, rate-limit headers and field-level errors.',
    },
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'WF_ADMIN_TOKEN' },
      },
    },
  }
}
