/** The `edge` project's target: the edge app in workerd, which serves the console through Workers Static Assets. */
import { edgeTarget } from '@wf/conformance/edge-target'
import { targetSetup } from '@wf/conformance/launch'
import { requireChromium } from '../browser.js'

const setup = targetSetup(edgeTarget)
export default async function (...args: Parameters<typeof setup>) {
  requireChromium()
  return setup(...args)
}
