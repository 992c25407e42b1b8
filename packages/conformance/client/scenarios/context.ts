/** What a scenario is given: the target (plain JSON, posted as is to the Worker) and the assertions. */
import { type Check, check } from '../check.js'

/** What the runner knows about the target; plain JSON, so it can be posted to the Worker. */
export interface ScenarioInput {
  /** `node`, `edge` or `external`. */
  target: string
  /** Relaxed rate limits. */
  baseUrl: string
  /** Tight rate limits (burst 5, one token every 5 s) when `tightLimits`; otherwise the same as baseUrl. */
  limitedUrl: string
  adminToken: string
  tightLimits: boolean
}

export interface Context extends ScenarioInput {
  check: Check
  /** A line for the run's output (figures such as durations). */
  log(line: string): void
}

export type Scenario = (ctx: Context) => Promise<void>

/** The same per-scenario setup for every runner: the context from the plain input. */
export function contextFor(input: ScenarioInput, log: (line: string) => void): Context {
  return { ...input, check, log }
}
