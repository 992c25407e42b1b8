/**
 * `If-Match` (contract §4, §8): `"n"`, `W/"n"`, `*`, or a comma-separated list of these. Returns
 * whether a write to a workflow at `version` may go ahead; a value with any entry of another shape,
 * or with no entry that matches, does not match.
 */
const ENTRY = /^(?:\*|(?:W\/)?"([1-9]\d{0,15})")$/

export function ifMatchAllows(header: string | undefined, version: number): boolean {
  if (header === undefined) return true
  let matches = false
  for (const raw of header.split(',')) {
    const m = ENTRY.exec(raw.trim())
    if (m === null) return false
    if (m[1] === undefined || Number(m[1]) === version) matches = true
  }
  return matches
}

export const etag = (version: number) => `"${version}"`

import type { VersionCondition } from '@wf/domain'

export type { VersionCondition }

/** The verbs' version condition for an `If-Match` header; no header, no condition. */
export function ifMatchCondition(header: string | undefined): VersionCondition | undefined {
  return header === undefined ? undefined : (version) => ifMatchAllows(header, version)
}
