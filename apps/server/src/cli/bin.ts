#!/usr/bin/env node
/** Entry point of `wf`: wires the commands to the real process. */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { createIdGenerator } from '@wf/api'
import { DatabaseUnavailable, openStore } from '../database.js'
import { nodeSha256Hex } from '../node-hash.js'
import { type DatabaseSettings, readDatabaseSettings, SettingsError } from '../settings.js'
import { AdminFailure } from './backend.js'
import { type CliIo, EXIT } from './io.js'
import { main } from './main.js'

// `pnpm wf …` runs from the repository root: resolve paths against where the user typed it.
const cwd = process.env.INIT_CWD ?? process.cwd()
const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readFile: (path) => readFile(resolve(cwd, path), 'utf8'),
  openAdmin: async () => {
    // The server's own reading of WF_DB_PATH / WF_DATABASE_URL, relative to the folder `pnpm` runs in.
    let settings: DatabaseSettings
    try {
      settings = readDatabaseSettings(process.env, process.cwd())
    } catch (e) {
      throw e instanceof SettingsError ? new AdminFailure(EXIT.usage, e.message) : e
    }
    const { store, close } = await openStore(settings).catch((e) => {
      // An unreachable PostgreSQL is the operator's to fix: one line, exit 1, no stack.
      throw e instanceof DatabaseUnavailable ? new AdminFailure(EXIT.problems, e.message) : e
    })
    return { ctx: { store, clock: { now: () => new Date() }, ids: createIdGenerator(), sha256Hex: nodeSha256Hex }, close }
  },
  env: process.env,
}

process.exitCode = await main(process.argv.slice(2), io)
