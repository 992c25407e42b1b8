#!/usr/bin/env node
/** Entry point of `wf`: wires the commands to the real process. */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { createIdGenerator } from '@wf/api'
import { openDatabase } from '@wf/storage/node'
import { nodeSha256Hex } from '../node-hash.js'
import type { CliIo } from './io.js'
import { main } from './main.js'

// `pnpm wf …` runs from the repository root: resolve paths against where the user typed it.
const cwd = process.env.INIT_CWD ?? process.cwd()
const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readFile: (path) => readFile(resolve(cwd, path), 'utf8'),
  openAdmin: () => {
    // Same default and resolution as the server: relative to the folder `pnpm` runs in.
    const { sqlite, store } = openDatabase(resolve(process.cwd(), process.env.WF_DB_PATH || 'data/wf.sqlite'))
    return {
      ctx: { store, clock: { now: () => new Date() }, ids: createIdGenerator(), sha256Hex: nodeSha256Hex },
      close: () => sqlite.close(),
    }
  },
  env: process.env,
}

process.exitCode = await main(process.argv.slice(2), io)
