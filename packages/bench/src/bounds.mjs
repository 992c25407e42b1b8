#!/usr/bin/env node
import { createHash } from 'node:crypto'
// What bounds each path, measured alone on the server's core in the same run: the store calls a
// request makes, without HTTP, Hono or the event loop in between. `pnpm bench` runs this as a child
// on core 0 and prints each figure beside the path it bounds. Input: argv[2] = JSON
// { db, orgs, dir }; output: one JSON object on stdout, operations per second (medians of 3).
import { join } from 'node:path'
import { EXAMPLE_CREATE_WORKFLOW, parseCreateWorkflow } from '@wf/core'
import { openDatabase } from '@wf/storage/node'
import { workflowFactory } from './bounds-workflows.mjs'
import { opsPerSecond } from './ops-per-second.mjs'

const { db, orgs, dir } = JSON.parse(process.argv[2])
const read = openDatabase(db)
const hashOf = (secret) => createHash('sha256').update(secret).digest('hex')
const bigKey = hashOf(orgs.big.secret)

// A fresh file for writes, so the reads' database stays as the HTTP rounds left it.
const write = openDatabase(join(dir, 'bounds-writes.sqlite'))
const workflow = await workflowFactory(write.store)

const result = {
  // GET /v1/workflows/{id}: the key lookup and the workflow's JSON.
  get: await opsPerSecond(async () => {
    await read.store.findApiKeyByHash(bigKey)
    await read.store.getWorkflowJson(orgs.big.orgId, orgs.big.workflowId)
  }),
  // GET /v1/workflows?limit=50: the key lookup and one page of 51 rows.
  list: await opsPerSecond(async () => {
    await read.store.findApiKeyByHash(bigKey)
    await read.store.listWorkflows(orgs.big.orgId, { limit: 51 })
  }),
  // POST valid: validation, then one create per commit (nothing else queued in the turn) …
  createOnePerCommit: await opsPerSecond(async () => {
    parseCreateWorkflow(EXAMPLE_CREATE_WORKFLOW)
    await write.store.insertWorkflow(workflow())
  }),
  // … and ten creates per commit, as ten connections can deliver them in one turn.
  createTenPerCommit:
    (await opsPerSecond(() => Promise.all(Array.from({ length: 10 }, () => write.store.insertWorkflow(workflow()))))) * 10,
  // POST invalid: the validation alone.
  validateInvalid: await opsPerSecond(() =>
    parseCreateWorkflow({
      ...EXAMPLE_CREATE_WORKFLOW,
      steps: [...EXAMPLE_CREATE_WORKFLOW.steps.slice(0, 4), { id: 'ADVERSE_MEDIA', config: { level: 'high' } }],
    }),
  ),
}
read.sqlite.close()
write.sqlite.close()
process.stdout.write(JSON.stringify(result))
