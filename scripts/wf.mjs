#!/usr/bin/env node
// `pnpm wf …`: builds @wf/server and what it needs when something changed (quietly: turbo speaks
// only when the build fails), then runs the CLI in this same process, so what appears is wf's own
// output and the exit code is wf's (0 done, 1 problems or not found, 2 usage error).
import { ensureBuilt } from './ensure-built.mjs'

ensureBuilt('@wf/server')
// bin.js reads process.argv.slice(2), which here is what followed `pnpm wf`, and sets exitCode.
await import('../apps/server/dist/cli/bin.js')
