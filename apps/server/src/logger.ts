/**
 * JSON lines on stdout (errors on stderr): one object per line, for people and log shippers.
 *
 * Info lines (the access log) are kept as objects and serialised and written together once the
 * event-loop turn ends, after the turn's responses have gone: built one by one on the request path
 * they cost about twice as much per request as batched (BENCHMARKS.md). So an entry must not
 * be changed after it is logged. Errors are written at once, after whatever info lines are
 * pending, so the order on the terminal stays true. Pending lines are written when the process
 * exits normally; a kill -9 loses at most one turn of access lines.
 */
import type { Logger } from '@wf/api'

interface Sink {
  write(text: string): unknown
}

export function createJsonLogger(out: Sink, err: Sink, now: () => Date = () => new Date()): Logger & { flush(): void } {
  let pending: { at: Date; entry: Record<string, unknown> }[] = []
  let scheduled = false
  // The ISO time of the last millisecond seen, reused by the lines of that millisecond.
  let lastMs = Number.NaN
  let lastIso = ''
  // Time and level go in front of the entry's own fields as text, not merged into a new object.
  const line = (level: string, at: Date, entry: Record<string, unknown>) => {
    if (at.getTime() !== lastMs) {
      lastMs = at.getTime()
      lastIso = at.toISOString()
    }
    const fields = JSON.stringify(entry)
    return `{"time":"${lastIso}","level":"${level}"${fields === '{}' ? '}' : `,${fields.slice(1)}`}\n`
  }
  const flush = () => {
    scheduled = false
    if (pending.length === 0) return
    const batch = pending
    pending = []
    let text = ''
    for (const { at, entry } of batch) text += line('info', at, entry)
    out.write(text)
  }
  return {
    info(entry) {
      pending.push({ at: now(), entry })
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    },
    error(entry) {
      flush()
      err.write(line('error', now(), entry))
    },
    flush,
  }
}

export const jsonLogger = createJsonLogger(process.stdout, process.stderr)
process.on('exit', jsonLogger.flush)
