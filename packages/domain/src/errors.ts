/**
 * The verbs' one error: a code from core's catalogue, a sentence, and for invalid input the
 * problems with JSON Pointers into the input. What a code means over HTTP (its status) is the
 * HTTP layer's business; the CLI prints the sentence.
 */
import { ERROR_CATALOGUE, type ErrorCode, type Issue, summarizeIssues } from '@wf/core'

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CATALOGUE[code].message,
    readonly details?: Issue[],
  ) {
    // Refusing bad input is not a bug: no stack trace to capture (a measurable part of an invalid
    // POST, BENCHMARKS.md). stackTraceLimit is V8's, so it is reached without Node's types.
    const v8 = Error as { stackTraceLimit?: number | undefined }
    const limit = v8.stackTraceLimit
    v8.stackTraceLimit = 0
    super(message)
    v8.stackTraceLimit = limit
    this.name = 'DomainError'
  }

  /** Invalid input: `message` names the first problems, `details` lists them all. */
  static invalid(issues: Issue[]): DomainError {
    return new DomainError('invalid_request', summarizeIssues(issues), issues)
  }
}
