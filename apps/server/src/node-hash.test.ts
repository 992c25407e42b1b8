import { sha256Hex } from '@wf/api'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { nodeSha256Hex } from './node-hash.js'

// Keys hashed by the Worker (Web Crypto) must be found by the Node server and the other way round.
it('node:crypto and Web Crypto give the same hex digest for any text', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: 'grapheme' }), async (text) => {
      expect(nodeSha256Hex(text)).toBe(await sha256Hex(text))
    }),
  )
  expect(nodeSha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
})
