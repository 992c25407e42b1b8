/**
 * The Worker that runs the scenarios in workerd (in-worker.test.ts bundles it with esbuild,
 * `@wf/client` included, and loads it into Miniflare). POST `{ scenario, ctx }` as JSON: it runs
 * that scenario against `ctx.baseUrl` with the client as bundled, and answers 200 `{ ok: true }`
 * or 500 `{ ok: false, error, stack }`, with the lines the scenario logged either way (and, on
 * success, `navigator.userAgent`: the runner checks that it ran in workerd).
 */
import { contextFor, type ScenarioInput, scenarios } from './scenarios.js'

export default {
  async fetch(request: Request): Promise<Response> {
    const logs: string[] = []
    let name = '(unreadable request)'
    try {
      const { scenario, ctx } = (await request.json()) as { scenario: string; ctx: ScenarioInput }
      name = scenario
      const run = scenarios[scenario]
      if (!run) return Response.json({ ok: false, error: `No scenario named ${JSON.stringify(scenario)}.`, logs }, { status: 404 })
      await run(contextFor(ctx, (line) => logs.push(line)))
      const userAgent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent
      return Response.json({ ok: true, logs, userAgent })
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error))
      return Response.json({ ok: false, error: `${e.name}: ${e.message}`, stack: e.stack ?? '', scenario: name, logs }, { status: 500 })
    }
  },
}
