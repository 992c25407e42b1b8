import { describe, expect, it } from 'vitest'
import { createJsonLogger } from './logger.js'

const turn = () => new Promise((resolve) => setImmediate(resolve))

function capture() {
  const writes: { stream: 'out' | 'err'; text: string }[] = []
  const logger = createJsonLogger(
    { write: (text: string) => writes.push({ stream: 'out', text }) },
    { write: (text: string) => writes.push({ stream: 'err', text }) },
    () => new Date('2026-11-26T09:00:00.000Z'),
  )
  return { logger, writes }
}

describe('createJsonLogger', () => {
  it('writes the info lines of one event-loop turn in one write, one JSON object per line', async () => {
    const { logger, writes } = capture()
    logger.info({ msg: 'a', n: 1 })
    logger.info({ msg: 'b', n: 2 })
    expect(writes).toEqual([]) // nothing yet: gathered until the turn ends
    await turn()
    expect(writes).toHaveLength(1)
    const lines = writes[0]!.text.split('\n')
    expect(lines.pop()).toBe('') // ends with a newline
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: '2026-11-26T09:00:00.000Z', level: 'info', msg: 'a', n: 1 },
      { time: '2026-11-26T09:00:00.000Z', level: 'info', msg: 'b', n: 2 },
    ])
    logger.info({ msg: 'c' })
    await turn()
    expect(writes).toHaveLength(2) // a later turn gets its own write
  })

  it('writes an error at once, after the info lines still pending', () => {
    const { logger, writes } = capture()
    logger.info({ msg: 'before' })
    logger.error({ msg: 'boom' })
    expect(writes.map((w) => [w.stream, JSON.parse(w.text).msg])).toEqual([
      ['out', 'before'],
      ['err', 'boom'],
    ])
    expect(JSON.parse(writes[1]!.text).level).toBe('error')
  })

  it('writes an entry without fields as a line with the time and level only', async () => {
    const { logger, writes } = capture()
    logger.info({})
    await turn()
    expect(JSON.parse(writes[0]!.text)).toEqual({ time: '2026-11-26T09:00:00.000Z', level: 'info' })
  })

  it('keeps any text an entry carries as valid JSON: quotes, control characters, lone surrogates', async () => {
    const { logger, writes } = capture()
    const path = '/v1/"x"\\\n\u0000\ud800é'
    logger.info({ msg: 'request', path })
    await turn()
    expect(JSON.parse(writes[0]!.text)).toEqual({ time: '2026-11-26T09:00:00.000Z', level: 'info', msg: 'request', path })
  })

  it('stamps each line with the time it was logged, not the time it is written', async () => {
    const writes: string[] = []
    let clock = Date.parse('2026-11-26T09:00:00.000Z')
    const logger = createJsonLogger({ write: (t: string) => writes.push(t) }, { write: () => {} }, () => new Date(clock))
    logger.info({ n: 1 })
    clock += 1500
    logger.info({ n: 2 })
    clock += 1500
    await turn()
    expect(
      writes[0]!
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).time),
    ).toEqual(['2026-11-26T09:00:00.000Z', '2026-11-26T09:00:01.500Z'])
  })

  it('flush() writes what is pending, and nothing when nothing is', () => {
    const { logger, writes } = capture()
    logger.flush()
    expect(writes).toEqual([])
    logger.info({ msg: 'x' })
    logger.flush()
    expect(writes).toHaveLength(1)
  })
})
