/** SHA-256 with node:crypto: synchronous, so a keyed request does not wait on Web Crypto's thread pool. */
import { createHash } from 'node:crypto'
import type { Deps } from '@wf/api'

export const nodeSha256Hex: Deps['sha256Hex'] = (text) => createHash('sha256').update(text).digest('hex')
