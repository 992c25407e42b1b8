/**
 * Compiled shape checks that decide acceptance of a request body, beside the hand-written walk that
 * words each problem and applies the rules JSON Schema cannot say (names trimmed and counted in
 * code points, no duplicate step, rules across fields). If the walk finds nothing but the compiled
 * check fails, the schema's own messages are reported: nothing the schema refuses ever passes.
 */
import Type, { type TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { KeyMode } from './admin-schemas.js'
import { StepId } from './catalog.js'
import type { IssueList } from './issues.js'
import { STEPS_MAX } from './schemas.js'

export interface Gate {
  check(value: unknown): boolean
  /** Adds the schema's own problems when `check` failed and nothing else was reported. */
  backstop(value: unknown, passed: boolean, issues: IssueList): void
}

function gate(schema: TSchema): Gate {
  const compiled = Compile(schema)
  return {
    check: (value) => compiled.Check(value),
    backstop(value, passed, issues) {
      if (passed || !issues.empty) return
      for (const e of compiled.Errors(value)) issues.add(e.instancePath, e.message)
    },
  }
}

const closed = { additionalProperties: false } as const
// Names are checked by the name rule (name.ts) for length and content; here only that they are text.
const step = Type.Object({ id: StepId, config: Type.Optional(Type.Object({})) }, closed)
const steps = Type.Array(step, { minItems: 1, maxItems: STEPS_MAX })

export const CREATE_WORKFLOW = gate(Type.Object({ name: Type.String(), steps }, closed))
export const UPDATE_WORKFLOW = gate(Type.Object({ name: Type.Optional(Type.String()), steps: Type.Optional(steps) }, closed))
export const CREATE_ORGANIZATION = gate(Type.Object({ name: Type.String() }, closed))
export const CREATE_API_KEY = gate(Type.Object({ mode: KeyMode, name: Type.Optional(Type.Union([Type.String(), Type.Null()])) }, closed))
