// The storage contract suite, the same one that runs on better-sqlite3, here on D1 in workerd.

import { env } from 'cloudflare:workers'
import { createStore } from '@wf/storage'
import { describeStoreContract } from '@wf/storage/contract'
import { drizzle } from 'drizzle-orm/d1'

describeStoreContract('d1', () => createStore(drizzle((env as unknown as WranglerEnv).DB)))
