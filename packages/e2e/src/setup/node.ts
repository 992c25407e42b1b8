/** The `node` project's target: the built Node server, which serves the console at /console/. */
import { targetSetup } from '@wf/conformance/launch'
import { nodeTarget } from '@wf/conformance/node-target'
import { requireChromium } from '../browser.js'

const setup = targetSetup(nodeTarget)
export default async function (...args: Parameters<typeof setup>) {
  requireChromium()
  return setup(...args)
}
