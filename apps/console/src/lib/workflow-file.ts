/**
 * A workflow as a file: the create request, pretty JSON with a trailing newline — the very file
 * `pnpm wf validate FILE` checks (apps/server/src/cli/validate.ts). Opening a file is lenient where
 * the builder can show the problem (core's rules) and strict where it cannot hold the content.
 */
import { type Issue, isStepId, parseCreateWorkflow } from '@wf/core'
import { type Draft, type DraftStep, toRequest } from './draft.js'
import { prettyJson } from './snippets.js'
import { locate } from './validate.js'

export type OpenedFile = { ok: true; draft: Draft; problems: string[] } | { ok: false; problems: string[] }

export function toFileText(d: Draft): string {
  return `${prettyJson(toRequest(d))}\n`
}

const SUFFIX = '.workflow.json'
const MAX_STEM = 80

/** A safe file name from the workflow name: "Standard onboarding" → "standard-onboarding.workflow.json". */
export function fileName(d: Draft): string {
  const stem = d.name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .slice(0, MAX_STEM)
    .replace(/^-+|-+$/g, '')
  return `${stem === '' ? 'workflow' : stem}${SUFFIX}`
}

/**
 * Opens a workflow file. Not JSON, or not a workflow's shape (not an object, name not text, steps
 * not a list, a step that is not an object with a catalog id and an object config): not opened.
 * A file of the right shape opens even when core rejects it, with core's problems, so the person
 * can fix it in the builder; a problem names where it is ("Face liveness › Confidence threshold:
 * must be an integer from 1 to 100"). Properties a workflow does not have are dropped, and said.
 */
export function fromFileText(text: string): OpenedFile {
  let input: unknown
  try {
    input = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (e) {
    return { ok: false, problems: [`The file is not valid JSON: ${(e as Error).message}`] }
  }
  const draft = readDraft(input)
  const parsed = parseCreateWorkflow(input)
  const problems = parsed.ok ? [] : parsed.issues.map((issue) => describeIssue(issue, draft))
  if (draft === undefined) return { ok: false, problems: [NOT_A_WORKFLOW, ...problems] }
  return { ok: true, draft, problems }
}

const NOT_A_WORKFLOW = 'The file cannot be opened: it is not a workflow (a JSON object with a name and a list of steps from the catalog).'

function describeIssue(issue: Issue, draft: Draft | undefined): string {
  return `${locate(issue, (i) => draft?.steps[i]?.id).label}: ${issue.message}`
}

/** The draft a file holds, if it has a workflow's shape (core's messages say what is wrong otherwise). */
function readDraft(input: unknown): Draft | undefined {
  if (!isRecord(input)) return undefined
  const { name = '', steps = [] } = input
  if (typeof name !== 'string' || !Array.isArray(steps)) return undefined
  const draftSteps: DraftStep[] = []
  for (const step of steps) {
    if (!isRecord(step) || !isStepId(step.id) || !(step.config === undefined || isRecord(step.config))) return undefined
    draftSteps.push({ id: step.id, config: { ...step.config } })
  }
  return { name, steps: draftSteps }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
