/**
 * The one rule for every name the API stores (workflows, organizations, API keys; contract §2,
 * §8): a string, trimmed of surrounding white space as `String.prototype.trim` defines it, then
 * 1 to NAME_MAX_LENGTH Unicode code points, and well-formed (no lone surrogate, which no UTF-8
 * encoding of the stored text could represent), with no U+0000 (PostgreSQL's text cannot hold it,
 * and a name that every engine cannot store would be accepted by one app and not another).
 */
import type { IssueList } from './issues.js'
import { NAME_MAX_LENGTH } from './schemas.js'

const LONE_SURROGATE = /[\uD800-\uDFFF]/u
const NUL = '\u0000'

/** Checks `value` as a name at `path`, adding what is wrong to `issues`; returns it trimmed. */
export function parseName(value: unknown, path: string, issues: IssueList): string {
  const allowed = `must be a string of 1 to ${NAME_MAX_LENGTH} characters`
  if (typeof value !== 'string') {
    issues.add(path, allowed)
    return ''
  }
  const name = value.trim()
  if (name.length === 0) issues.add(path, `must not be empty or only white space; ${allowed}`)
  else if (LONE_SURROGATE.test(name)) issues.add(path, 'must be valid Unicode text: it contains a lone surrogate')
  else if (name.includes(NUL)) issues.add(path, 'must not contain the character U+0000 (NUL)')
  // A code point is one or two UTF-16 units, so only a long string needs counting.
  else if (name.length > NAME_MAX_LENGTH && codePoints(name) > NAME_MAX_LENGTH) {
    issues.add(path, `${allowed} after trimming white space; it has ${codePoints(name)}`)
  }
  return name
}

function codePoints(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}
