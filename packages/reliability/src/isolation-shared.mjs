// Shared by the isolation, admin-auth and size-limit checks (and the rate-limit part): the
// contract error judge, a request sweep, and the figures noted for the summary.
import { ERROR_CATALOGUE, ErrorBody } from '@wf/core'
import { Compile } from 'typebox/compile'
import { rawRequest, request } from './http.mjs'
import { addFigure } from './report.mjs'

export const checkErrorBody = Compile(ErrorBody)
export const STEPS = [{ id: 'ID_VERIFICATION' }, { id: 'FACE_LIVENESS' }]
export const figuresNote = {}

/** A contract error: status, code, ErrorBody, request_id = x-request-id. Returns '' or a problem. */
export function errorProblem(res, status, code, exactError) {
  if (!res || res.status !== status) return `${res?.status} (wanted ${status}) ${res?.text?.slice(0, 160) ?? ''}`
  if (!/^application\/json/i.test(String(res.headers['content-type'] ?? ''))) return `content-type ${res.headers['content-type']}`
  if (res.json === undefined || !checkErrorBody.Check(res.json)) return `body outside ErrorBody: ${res.text.slice(0, 160)}`
  if (res.json.code !== code) return `code ${res.json.code} (wanted ${code})`
  if (ERROR_CATALOGUE[code] && ERROR_CATALOGUE[code].status !== status) return `catalogue says ${code} is ${ERROR_CATALOGUE[code].status}`
  if (res.json.request_id !== res.headers['x-request-id'])
    return `request_id ${res.json.request_id} ≠ x-request-id ${res.headers['x-request-id']}`
  if (exactError !== undefined && res.json.error !== exactError)
    return `error ${JSON.stringify(res.json.error)} (wanted ${JSON.stringify(exactError)})`
  return ''
}

/** Sends many requests, a few at a time; collects the problems the judge function reports. */
export async function sweep(srv, cases, judge, parallel = 8) {
  const problems = []
  let sent = 0
  const queue = [...cases]
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        let res
        try {
          res = c.raw
            ? await rawRequest(srv, c.raw, { timeoutMs: 10_000 })
            : await request(srv, c.method, c.path, { headers: c.headers, body: c.body, timeoutMs: 10_000 })
        } catch (e) {
          res = { status: `transport error ${e.code ?? e.message}`, headers: {}, text: '' }
        }
        sent++
        const p = judge(c, res)
        if (p) problems.push(`${c.label}: ${c.method ?? 'raw'} ${c.path ?? ''} → ${p}`)
      }
    }),
  )
  addFigure('requests sent', sent)
  return { problems, sent }
}

export const summary = (r, what) =>
  r.problems.length ? `${r.problems.length} of ${r.sent} wrong; e.g. ${r.problems.slice(0, 3).join(' | ')}` : `${r.sent} ${what}`
