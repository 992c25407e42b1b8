// New workflows for the bounds' create loops: an organization of their own on `store`, and a
// factory of the example workflow, resolved by core, as the API would store it.
import { createIdGenerator } from '@wf/api'
import { EXAMPLE_CREATE_WORKFLOW, parseCreateWorkflow } from '@wf/core'

/**
 * @param {import('@wf/storage').Store} store
 * @returns {Promise<() => import('@wf/core').Workflow>}
 */
export async function workflowFactory(store) {
  const ids = createIdGenerator()
  const steps = parseCreateWorkflow(EXAMPLE_CREATE_WORKFLOW)
  if (!steps.ok) throw new Error('example workflow does not validate')
  const org = { id: ids.organization(), name: 'bounds', created_at: new Date().toISOString() }
  await store.createOrganization(org)
  return () => {
    const now = new Date().toISOString()
    return {
      id: ids.workflow(),
      name: 'Bounds',
      status: 'active',
      organization_id: org.id,
      version: 1,
      created_by: 'key_bounds',
      created_at: now,
      updated_at: now,
      steps: steps.value.steps,
    }
  }
}
