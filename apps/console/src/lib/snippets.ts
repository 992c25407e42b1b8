/**
 * The request a draft makes, as code to copy: the JSON body, a curl command and @wf/client
 * TypeScript. The API key is always the environment variable WF_API_KEY, never a real key.
 */
import type { CreateWorkflowRequest } from '@wf/core'

export interface SnippetInput {
  /** Where the API is, e.g. `https://wf.example.com` (the console's own origin). */
  origin: string
  body: CreateWorkflowRequest
  /** Given: the snippets update this workflow (PATCH) instead of creating one (POST). */
  workflowId?: string
  /** With workflowId: the version the change is made against (If-Match). */
  ifVersion?: number
  /** The create's Idempotency-Key; a random one when not given. */
  idempotencyKey?: string
}

export interface Snippets {
  json: string
  curl: string
  client: string
}

/** A request body as the console shows and saves it: JSON indented by two spaces. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2)
}

/** One POSIX shell word for any text: in single quotes, each ' written as '\''. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

export function snippets(input: SnippetInput): Snippets {
  const { body, workflowId, ifVersion } = input
  const origin = input.origin.replace(/\/+$/, '')
  const json = prettyJson(body)
  const update = workflowId !== undefined
  const path = update ? `/v1/workflows/${encodeURIComponent(workflowId)}` : '/v1/workflows'
  const headers = [
    `-H "x-api-key: $WF_API_KEY"`,
    `-H 'Content-Type: application/json'`,
    ...(update
      ? ifVersion === undefined
        ? []
        : [`-H ${shellQuote(`If-Match: "${ifVersion}"`)}`]
      : [`-H ${shellQuote(`Idempotency-Key: ${input.idempotencyKey ?? randomKey()}`)}`]),
  ]
  const curl = [
    `curl -sS -X ${update ? 'PATCH' : 'POST'} ${shellQuote(origin + path)}`,
    ...headers,
    `--data-binary ${shellQuote(json)}`,
  ].join(' \\\n  ')

  const call = update
    ? `await wf.workflows.update(${JSON.stringify(workflowId)}, body${ifVersion === undefined ? '' : `, { ifVersion: ${ifVersion} }`})`
    : 'await wf.workflows.create(body)'
  const client = [
    `import { type CreateWorkflowRequest, createClient } from '@wf/client'`,
    '',
    'const apiKey = process.env.WF_API_KEY',
    `if (!apiKey) throw new Error('Set WF_API_KEY to a live API key')`,
    `const wf = createClient({ baseUrl: ${JSON.stringify(origin)}, apiKey })`,
    '',
    `const body: CreateWorkflowRequest = ${json}`,
    '',
    `const workflow = ${call}`,
    `console.log(workflow.id, workflow.version)`,
    '',
  ].join('\n')
  return { json, curl, client }
}

/**
 * 128 random bits as hex. The key is fixed in the command, so running the same command again within
 * 24 hours answers the first result (Idempotent-Replayed) instead of creating a second workflow.
 */
function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
}
