#!/usr/bin/env node
// What bounds each path on PostgreSQL, measured alone on the server's core in the same run: the
// store calls of one request, without HTTP, Hono or the rate limit, one at a time (the latency of
// the round trips) and ten at once on a pool of ten (as the benchmark's ten connections offer
// them). Also what a perfect read cache could save a GET: its two reads are what it would serve.
// Input: argv[2] = JSON { url, orgs }; output: one JSON object on stdout, operations per second.
import { createHash } from 'node:crypto'
import { EXAMPLE_CREATE_WORKFLOW, parseCreateWorkflow } from '@wf/core'
import { openPostgres } from '@wf/storage/postgres'
import { workflowFactory } from './bounds-workflows.mjs'
import { opsPerSecond } from './ops-per-second.mjs'

const { url, orgs } = JSON.parse(process.argv[2])
const { store, close } = await openPostgres({ url, poolSize: 10 })
const bigKey = createHash('sha256').update(orgs.big.secret).digest('hex')
const workflow = await workflowFactory(store)

const get = async () => {
  await store.findApiKeyByHash(bigKey)
  await store.getWorkflowJson(orgs.big.orgId, orgs.big.workflowId)
}
const list = async () => {
  await store.findApiKeyByHash(bigKey)
  await store.listWorkflows(orgs.big.orgId, { limit: 51 })
}
const create = async () => {
  parseCreateWorkflow(EXAMPLE_CREATE_WORKFLOW)
  await store.findApiKeyByHash(bigKey)
  await store.insertWorkflow(workflow())
}
/** @param {() => Promise<void>} fn */
const tenAtOnce = async (fn) => (await opsPerSecond(() => Promise.all(Array.from({ length: 10 }, fn)))) * 10

const result = {
  getOneAtATime: await opsPerSecond(get),
  get: await tenAtOnce(get),
  list: await tenAtOnce(list),
  createOneAtATime: await opsPerSecond(create),
  create: await tenAtOnce(create),
}
await close()
process.stdout.write(JSON.stringify(result))
