/**
 * The replicas project's alternation: a target given as several base URLs (replicas of one app on
 * one database), the first of which is the one the tests know (`baseUrl`, `limitedUrl`). A request
 * to that first URL goes to each replica in turn; any other URL, or a target with one URL, is left
 * exactly as it is. No vitest, no `node:` module: src/client.ts and the client suite's fetch
 * wrapper (client/in-node.test.ts) both use it.
 */
export interface RoundRobin {
  /** `url` (a base URL, or one followed by a path) rewritten onto the next replica of its target. */
  next(url: string): string
  /** `url` rewritten onto this replica (0, 1…) of its target; throws if there is no such replica. */
  at(url: string, replica: number): string
  /** How many URLs `next` sent to each replica, by replica base URL. */
  readonly counts: ReadonlyMap<string, number>
}

interface Group {
  urls: readonly string[]
  turn: number
}

/** One group per target: its replicas' base URLs, the one the tests know first. */
export function roundRobin(targets: readonly (readonly string[])[]): RoundRobin {
  const groups = new Map<string, Group>()
  for (const urls of targets) if (urls[0] !== undefined && !groups.has(urls[0])) groups.set(urls[0], { urls, turn: 0 })
  const counts = new Map<string, number>()

  /** The group whose first URL `url` starts with, as a whole origin (":3000" is not ":30001"). */
  const find = (url: string): [string, Group] | undefined => {
    for (const [head, group] of groups) {
      if (url.startsWith(head) && (url.length === head.length || '/?#'.includes(url[head.length]!))) return [head, group]
    }
    return undefined
  }

  return {
    next(url) {
      const found = find(url)
      if (found === undefined || found[1].urls.length < 2) return url
      const [head, group] = found
      const replica = group.urls[group.turn++ % group.urls.length]!
      counts.set(replica, (counts.get(replica) ?? 0) + 1)
      return replica + url.slice(head.length)
    },
    at(url, replica) {
      const found = find(url)
      const chosen = found?.[1].urls[replica]
      if (found === undefined || chosen === undefined) throw new Error(`no replica ${replica} for ${url}`)
      return chosen + url.slice(found[0].length)
    },
    counts,
  }
}
