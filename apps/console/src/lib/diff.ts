/**
 * What changed between two versions of a workflow: the name, the status, steps added, removed or
 * moved, and config values. A step is identified by its id (each at most once in a version). A
 * step counts as moved only when its order relative to the other kept steps changed: the kept
 * steps in a longest common subsequence of both orders stay put, the others moved, so moving one
 * step is one move, whatever it shifts.
 */
import { defaultStepConfig, type StepId } from '@wf/core'
import { fieldLabel, formatValue, stepTitle } from './form.js'

export type Change =
  | { kind: 'name'; from: string; to: string }
  | { kind: 'status'; from: string; to: string }
  | { kind: 'step-added'; id: StepId; index: number }
  | { kind: 'step-removed'; id: StepId; index: number }
  | { kind: 'step-moved'; id: StepId; from: number; to: number }
  | { kind: 'value-changed'; id: StepId; key: string; from: unknown; to: unknown }

export interface VersionLike {
  name: string
  status: string
  steps: readonly { id: StepId; config: object }[]
}

/**
 * The changes from `a` to `b`, in this order: name, status, removed (by index in a), added and
 * moved (by index in b), then value changes (by step in b's order, keys in config order). For an
 * added step, the values it sets apart from core's defaults are value changes from the default.
 * Indexes are 0-based; `describeChange` says positions from 1.
 */
export function diffVersions(a: VersionLike, b: VersionLike): Change[] {
  const changes: Change[] = []
  if (a.name !== b.name) changes.push({ kind: 'name', from: a.name, to: b.name })
  if (a.status !== b.status) changes.push({ kind: 'status', from: a.status, to: b.status })

  const aIds = a.steps.map((s) => s.id)
  const bIds = b.steps.map((s) => s.id)
  const inA = new Map(aIds.map((id, i) => [id, i]))
  const inB = new Map(bIds.map((id, i) => [id, i]))
  aIds.forEach((id, index) => {
    if (!inB.has(id)) changes.push({ kind: 'step-removed', id, index })
  })
  const kept = new Set(
    longestCommonSubsequence(
      aIds.filter((id) => inB.has(id)),
      bIds.filter((id) => inA.has(id)),
    ),
  )
  bIds.forEach((id, index) => {
    const from = inA.get(id)
    if (from === undefined) changes.push({ kind: 'step-added', id, index })
    else if (!kept.has(id)) changes.push({ kind: 'step-moved', id, from, to: index })
  })

  for (const step of b.steps) {
    const before = a.steps.find((s) => s.id === step.id)
    // An added step: its values that differ from core's defaults, as changes from the default.
    const from = (before?.config ?? defaultStepConfig(step.id)) as Record<string, unknown>
    const to = step.config as Record<string, unknown>
    const keys = before === undefined ? Object.keys(to) : [...new Set([...Object.keys(to), ...Object.keys(from)])]
    for (const key of keys) {
      if (!sameValue(from[key], to[key])) changes.push({ kind: 'value-changed', id: step.id, key, from: from[key], to: to[key] })
    }
  }
  return changes
}

/** One longest common subsequence of two lists of distinct items. */
function longestCommonSubsequence<T>(x: readonly T[], y: readonly T[]): T[] {
  // lengths[i][j]: the LCS length of x[i..] and y[j..]. Lists here hold at most a few dozen steps.
  const lengths = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0))
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lengths[i]![j] = x[i] === y[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!)
    }
  }
  const out: T[] = []
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    if (x[i] === y[j]) {
      out.push(x[i]!)
      i++
      j++
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++
    else j++
  }
  return out
}

function sameValue(x: unknown, y: unknown): boolean {
  return x === y || (typeof x === 'object' && typeof y === 'object' && JSON.stringify(x) === JSON.stringify(y))
}

/** A sentence for a change: "Added Face liveness at position 2", "Face liveness › Confidence threshold: 80 → 90". */
export function describeChange(c: Change): string {
  switch (c.kind) {
    case 'name':
      return `Renamed from ${JSON.stringify(c.from)} to ${JSON.stringify(c.to)}`
    case 'status':
      return `Status: ${c.from} → ${c.to}`
    case 'step-added':
      return `Added ${stepTitle(c.id)} at position ${c.index + 1}`
    case 'step-removed':
      return `Removed ${stepTitle(c.id)} (was at position ${c.index + 1})`
    case 'step-moved':
      return `Moved ${stepTitle(c.id)} from position ${c.from + 1} to ${c.to + 1}`
    case 'value-changed':
      return `${stepTitle(c.id)} › ${fieldLabel(c.id, c.key)}: ${formatValue(c.id, c.key, c.from)} → ${formatValue(c.id, c.key, c.to)}`
  }
}
