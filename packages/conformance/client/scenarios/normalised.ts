/** Scenarios: what the server normalises, and long-lived signals. */

import { check } from '../check.js'
import { faulty, lose, on } from '../faults.js'
import type { Scenario } from './context.js'
import { newOrg, RESOLVED_ID_VERIFICATION, SMALL } from './fixtures.js'

/**
 * A lost write is recognised even where the server stored something other than what was sent
 * (a trimmed name, the fraud flag an escalation forces on), and a client-wide signal outlives its
 * calls without collecting listeners. Each of these failed against the first client.
 */
export const normalised: Record<string, Scenario> = {
  async 'own write after a lost answer: a name sent with white space around it (stored trimmed) is recognised'(ctx) {
    const s = await newOrg(ctx, 'trimmed name')
    const created = await s.wf.create(SMALL())
    const f = faulty({ when: on('PATCH', `/v1/workflows/${created.id}`), plan: [lose] })
    const updated = await s.client({ fetch: f.fetch }).workflows.update(created.id, { name: '  Spaced  ' }, { ifVersion: 1 })
    check.equal([updated.name, updated.version], ['Spaced', 2], 'the lost write, recognised')
  },

  async 'own write after a lost answer: enable_fraud_analysis false that an escalation forces to true is recognised'(ctx) {
    const s = await newOrg(ctx, 'forced fraud analysis')
    const created = await s.wf.create({ name: 'Fraud', steps: [{ id: 'ID_VERIFICATION' }] })
    const f = faulty({ when: on('PATCH', `/v1/workflows/${created.id}/steps/ID_VERIFICATION/config`), plan: [lose] })
    const config = { escalation_type: 'nfc-passport', enable_fraud_analysis: false } as const
    const updated = await s.client({ fetch: f.fetch }).workflows.updateStepConfig(created.id, 'ID_VERIFICATION', config, { ifVersion: 1 })
    check.equal(
      [updated.version, updated.steps[0]?.config],
      [2, { ...RESOLVED_ID_VERIFICATION, minimum_age: 18, enable_fraud_analysis: true }],
      'the lost write, recognised',
    )
  },

  async 'a client-wide signal with a per-call signal: no abort listener is left behind after each call'(ctx) {
    const s = await newOrg(ctx, 'listeners')
    const created = await s.wf.create(SMALL())
    const controller = new AbortController()
    const signal = controller.signal
    let live = 0
    const add = signal.addEventListener.bind(signal)
    const remove = signal.removeEventListener.bind(signal)
    signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      live++
      add(...args)
    }) as AbortSignal['addEventListener']
    signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      live--
      remove(...args)
    }) as AbortSignal['removeEventListener']
    const wf = s.client({ signal }).workflows
    for (let i = 0; i < 5; i++) await wf.retrieve(created.id, { signal: new AbortController().signal })
    check.equal(live, 0, 'abort listeners left on the client’s signal after 5 finished calls')
  },
}
