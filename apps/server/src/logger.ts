/**
 * JSON lines on stdout (errors on stderr): one object per line, for people and log shippers.
 *
 * Access-log lines are gathered and written once per event-loop turn: one write for many requests
 * instead of one each (a write per line cost ~4 % of a keyed GET). Errors are written at once,
 * after whatever info lines are pending, so the order on the terminal stays true. Pending lines
 * are written when the process exits normally; a kill -9 loses at most one turn of access lines.
 */
import type { Logger } from '@wf/api'

interface Sink {
  write(text: string): unknown
}

export function createJsonLogger(out: Sink, err: Sink, now: () => Date = () => new Date()): Logger & { flush(): void } {
  let pending = ''
  let scheduled = false
  const flush = () => {
    scheduled = false
    if (pending === '') return
    const text = pending
    pending = ''
    out.write(text)
  }
  // The time and level go in front of the entry's own fields as text: merging them into a new
  // object before stringifying cost a third of the logger's time (5 % of a keyed GET).
  let lastMs = Number.NaN
  let lastIso = ''
  const line = (level: string, entry: Record<string, unknown>) => {
    const date = now()
    if (date.getTime() !== lastMs) {
      lastMs = date.getTime()
      lastIso = date.toISOString()
    }
    const fields = JSON.stringify(entry)
    return `{"time":"${lastIso}","level":"${level}"${fields === '{}' ? '}' : `,${fields.slice(1)}`}\n`
  }
  return {
    info(entry) {
      pending += line('info', entry)
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    },
    error(entry) {
      flush()
      err.write(line('error', entry))
    },
    flush,
  }
}

export const jsonLogger = createJsonLogger(process.stdout, process.stderr)
process.on('exit', jsonLogger.flush)
