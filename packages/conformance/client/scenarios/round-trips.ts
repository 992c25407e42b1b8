/** Scenarios: round trips. */
import { AuthenticationError, createAdminClient, createClient, type Workflow } from '@wf/client'
import { check } from '../check.js'
import { faulty } from '../faults.js'
import type { Scenario } from './context.js'
import {
  API_KEY_FIELDS,
  expectAnswerError,
  FIVE_STEPS,
  ISO_MS,
  lastAnswered,
  newOrg,
  RESOLVED_FIVE_STEPS,
  RESOLVED_ID_VERIFICATION,
  SMALL,
  SUMMARY_FIELDS,
  VERSION_FIELDS,
  versionNumbers,
  WORKFLOW_FIELDS,
} from './fixtures.js'

export const roundTrips: Record<string, Scenario> = {
  async 'admin: organizations.create, apiKeys.create/list/revoke; a revoked key gets AuthenticationError'(ctx) {
    const admin = createAdminClient({ baseUrl: ctx.baseUrl, adminToken: ctx.adminToken })
    const org = await admin.organizations.create({ name: '  Admin round trip  ' })
    check.keys(org, ['id', 'name', 'created_at'], 'organization')
    check.match(org.id, /^org_/, 'organization.id')
    check.equal(org.name, 'Admin round trip', 'organization.name (trimmed)')
    check.match(org.created_at, ISO_MS, 'organization.created_at')

    const live = await admin.apiKeys.create(org.id, { mode: 'live', name: 'ci' })
    const sandbox = await admin.apiKeys.create(org.id, { mode: 'sandbox' })
    for (const [key, mode, name] of [
      [live, 'live', 'ci'],
      [sandbox, 'sandbox', null],
    ] as const) {
      check.keys(key, ['apiKey', 'secret'], 'created key')
      check.keys(key.apiKey, API_KEY_FIELDS, 'api key')
      check.match(key.apiKey.id, /^key_/, 'apiKey.id')
      check.equal(key.apiKey.organization_id, org.id, 'apiKey.organization_id')
      check.equal(key.apiKey.mode, mode, 'apiKey.mode')
      check.equal(key.apiKey.name, name, 'apiKey.name')
      check.equal(key.apiKey.revoked_at, null, 'apiKey.revoked_at of a new key')
      check.match(key.secret, mode === 'live' ? /^wf_live_[A-Za-z0-9_-]{22,}$/ : /^wf_sandbox_[A-Za-z0-9_-]{22,}$/, 'secret')
      check.ok(key.secret.startsWith(key.apiKey.prefix), 'the secret starts with the key’s prefix', key)
      check.ok(key.apiKey.prefix.length < key.secret.length, 'the prefix is not the whole secret', key)
    }

    const listed = await admin.apiKeys.list(org.id)
    check.equal(
      [...listed].sort((a, b) => a.id.localeCompare(b.id)),
      [live.apiKey, sandbox.apiKey].sort((a, b) => a.id.localeCompare(b.id)),
      'apiKeys.list: both keys as created, no secret',
    )
    check.ok(!JSON.stringify(listed).includes(live.secret), 'apiKeys.list never shows a secret')

    const client = createClient({ baseUrl: ctx.baseUrl, apiKey: live.secret })
    check.equal((await client.workflows.list()).data, [], 'a new organization has no workflows')

    const revoked = await admin.apiKeys.revoke(live.apiKey.id)
    check.equal({ ...revoked, revoked_at: null }, live.apiKey, 'revoke answers the key, only revoked_at changed')
    check.match(revoked.revoked_at, ISO_MS, 'revoked_at')
    const again = await admin.apiKeys.revoke(live.apiKey.id)
    check.equal(again.revoked_at, revoked.revoked_at, 'revoking again keeps the first revoked_at')
    const afterRevoke = await admin.apiKeys.list(org.id)
    check.equal(afterRevoke.find((k) => k.id === live.apiKey.id)?.revoked_at, revoked.revoked_at, 'apiKeys.list shows revoked_at')

    const calls = faulty()
    const error = await check.rejects(
      createClient({ baseUrl: ctx.baseUrl, apiKey: live.secret, fetch: calls.fetch }).workflows.list(),
      AuthenticationError,
      'a call with the revoked key',
    )
    expectAnswerError(error, lastAnswered(calls.calls), 401, 'unauthorized')
    check.equal(calls.calls.length, 1, 'a 401 is not retried')
    // The sandbox key still works.
    check.equal((await createClient({ baseUrl: ctx.baseUrl, apiKey: sandbox.secret }).workflows.list()).data, [], 'sandbox list')
  },

  async 'create answers the record with the contract’s fields; retrieve answers the same'(ctx) {
    const s = await newOrg(ctx, 'create')
    const created = await s.wf.create(FIVE_STEPS)
    check.keys(created, WORKFLOW_FIELDS, 'created workflow')
    check.match(created.id, /^wf_/, 'id')
    check.equal(
      { ...created, id: '', created_at: '', updated_at: '' },
      {
        id: '',
        name: 'Standard onboarding',
        status: 'active',
        organization_id: s.org.id,
        version: 1,
        created_by: s.live.apiKey.id,
        created_at: '',
        updated_at: '',
        steps: RESOLVED_FIVE_STEPS,
      },
      'created workflow',
    )
    check.match(created.created_at, ISO_MS, 'created_at')
    check.equal(created.updated_at, created.created_at, 'updated_at of a new workflow')
    for (const step of created.steps) check.keys(step, ['id', 'config'], `step ${step.id}`)
    check.keys(created.steps[0]?.config, Object.keys(RESOLVED_ID_VERIFICATION), 'ID_VERIFICATION config, in the contract’s order')

    check.equal(await s.wf.retrieve(created.id), created, 'retrieve')
    // The sandbox key reads the same record.
    const sandbox = createClient({ baseUrl: ctx.baseUrl, apiKey: s.sandbox.secret })
    check.equal(await sandbox.workflows.retrieve(created.id), created, 'retrieve with the sandbox key')
    // A name with white space around it is stored trimmed.
    const trimmed = await s.wf.create({ name: '  Trimmed\t', steps: [{ id: 'AGE_ESTIMATION', config: { minimum_age: 21 } }] })
    check.equal(trimmed.name, 'Trimmed', 'a created name is trimmed')
    check.equal(trimmed.steps, [{ id: 'AGE_ESTIMATION', config: { minimum_age: 21 } }], 'steps')
  },

  async 'list: summaries newest first, data + nextCursor, limit, cursor and status'(ctx) {
    const s = await newOrg(ctx, 'list')
    const created: Workflow[] = []
    for (let i = 0; i < 5; i++) created.push(await s.wf.create(i === 0 ? FIVE_STEPS : SMALL(`W${i}`)))
    const newestFirst = created.map((w) => w.id).reverse()

    const all = await s.wf.list()
    check.keys(all, ['data', 'nextCursor'], 'list page')
    check.equal(
      all.data.map((w) => w.id),
      newestFirst,
      'list, newest first',
    )
    check.equal(all.nextCursor, null, 'nextCursor of the only page')
    for (const summary of all.data) check.keys(summary, SUMMARY_FIELDS, 'summary')
    const first = created[0]!
    check.equal(
      all.data.at(-1),
      {
        id: first.id,
        name: first.name,
        status: 'active',
        version: 1,
        steps: ['ID_VERIFICATION', 'FACE_LIVENESS', 'AGE_ESTIMATION', 'PEP_SANCTIONS', 'ADVERSE_MEDIA'],
        created_at: first.created_at,
        updated_at: first.updated_at,
      },
      'the oldest summary: steps as ids',
    )

    const p1 = await s.wf.list({ limit: 2 })
    check.equal(
      p1.data.map((w) => w.id),
      newestFirst.slice(0, 2),
      'page 1 (limit 2)',
    )
    check.ok(typeof p1.nextCursor === 'string' && p1.nextCursor !== '', 'page 1 has a nextCursor', p1.nextCursor)
    const p2 = await s.wf.list({ limit: 2, cursor: p1.nextCursor! })
    check.equal(
      p2.data.map((w) => w.id),
      newestFirst.slice(2, 4),
      'page 2',
    )
    const p3 = await s.wf.list({ limit: 2, cursor: p2.nextCursor! })
    check.equal(
      p3.data.map((w) => w.id),
      newestFirst.slice(4),
      'page 3',
    )
    check.equal(p3.nextCursor, null, 'the last page has no nextCursor')

    await s.wf.archive(created[1]!.id)
    check.equal(
      (await s.wf.list({ status: 'archived' })).data.map((w) => [w.id, w.status]),
      [[created[1]!.id, 'archived']],
      'status archived',
    )
    check.equal(
      (await s.wf.list({ status: 'active' })).data.map((w) => w.id),
      newestFirst.filter((id) => id !== created[1]!.id),
      'status active',
    )

    // listAll follows the cursors: every workflow once, newest first; with a status too.
    const walked: string[] = []
    for await (const w of s.wf.listAll({ pageSize: 2 })) walked.push(w.id)
    check.equal(walked, newestFirst, 'listAll({ pageSize: 2 })')
    const active: string[] = []
    for await (const w of s.wf.listAll({ pageSize: 1, status: 'active' })) active.push(w.id)
    check.equal(
      active,
      newestFirst.filter((id) => id !== created[1]!.id),
      'listAll({ pageSize: 1, status: active })',
    )
    // Another organization's workflows are not listed.
    const other = await newOrg(ctx, 'list, other')
    check.equal((await other.wf.list()).data, [], 'another organization lists nothing')
  },

  async 'update: rename, replace the steps, an empty change; version + 1 for each change'(ctx) {
    const s = await newOrg(ctx, 'update')
    const created = await s.wf.create(FIVE_STEPS)
    const second = await s.newLiveKey()
    const wf2 = s.client({ apiKey: second.secret }).workflows

    const renamed = await wf2.update(created.id, { name: 'Renamed' })
    check.keys(renamed, WORKFLOW_FIELDS, 'updated workflow')
    check.equal(
      { ...renamed, updated_at: '' },
      { ...created, name: 'Renamed', version: 2, updated_at: '' },
      'rename: the name and version changed, nothing else (created_by stays the creator)',
    )
    check.ok(renamed.updated_at >= created.updated_at, 'updated_at moves forward', [created.updated_at, renamed.updated_at])

    const steps = [{ id: 'FACE_LIVENESS', config: { confidence_threshold: 95 } }, { id: 'PEP_SANCTIONS' }] as const
    const restepped = await s.wf.update(created.id, { steps: [...steps] }, { ifVersion: 2 })
    check.equal(restepped.version, 3, 'replace the steps (with ifVersion): version')
    check.equal(restepped.name, 'Renamed', 'the name stays')
    check.equal(
      restepped.steps,
      [
        { id: 'FACE_LIVENESS', config: { confidence_threshold: 95 } },
        { id: 'PEP_SANCTIONS', config: {} },
      ],
      'the steps are replaced, resolved',
    )

    const both = await s.wf.update(created.id, { name: 'Both', steps: [{ id: 'ADVERSE_MEDIA' }] })
    check.equal([both.version, both.name, both.steps], [4, 'Both', [{ id: 'ADVERSE_MEDIA', config: {} }]], 'name and steps at once')

    const unchanged = await s.wf.update(created.id, {})
    check.equal(unchanged, both, 'an empty change answers the workflow unchanged')
    const same = await s.wf.update(created.id, { name: 'Both' }, { ifVersion: 4 })
    check.equal(same, both, 'a change that changes nothing does not bump the version')
    check.equal(await s.wf.retrieve(created.id), both, 'retrieve after the updates')
    check.equal(await versionNumbers(s.wf, created.id), [4, 3, 2, 1], 'versions written')
    check.equal((await s.wf.version(created.id, 2)).created_by, second.apiKey.id, 'version 2 was written by the second key')
  },

  async 'updateStepConfig: the given fields change, the others keep their values'(ctx) {
    const s = await newOrg(ctx, 'step config')
    const created = await s.wf.create(FIVE_STEPS)
    const changed = await s.wf.updateStepConfig(created.id, 'ID_VERIFICATION', { minimum_age: 25, require_secondary_id: true })
    check.equal(changed.version, 2, 'version')
    check.equal(
      changed.steps,
      [
        { id: 'ID_VERIFICATION', config: { ...RESOLVED_ID_VERIFICATION, minimum_age: 25, require_secondary_id: true } },
        ...RESOLVED_FIVE_STEPS.slice(1),
      ],
      'only the given fields changed',
    )
    const again = await s.wf.updateStepConfig(created.id, 'FACE_LIVENESS', { confidence_threshold: 99 }, { ifVersion: 2 })
    check.equal(again.version, 3, 'with ifVersion: version')
    check.equal(again.steps[1], { id: 'FACE_LIVENESS', config: { confidence_threshold: 99 } }, 'FACE_LIVENESS')
    check.equal(again.steps[0], changed.steps[0], 'ID_VERIFICATION kept')
    check.equal(await s.wf.retrieve(created.id), again, 'retrieve')
  },

  async 'archive: archived and version + 1; archiving again changes nothing'(ctx) {
    const s = await newOrg(ctx, 'archive')
    const created = await s.wf.create(SMALL())
    const archived = await s.wf.archive(created.id)
    check.keys(archived, WORKFLOW_FIELDS, 'archived workflow')
    check.equal(
      { ...archived, updated_at: '' },
      { ...created, status: 'archived', version: 2, updated_at: '' },
      'archived: status and version changed',
    )
    const again = await s.wf.archive(created.id)
    check.equal(again, archived, 'archiving again answers the same record')
    const withVersion = await s.wf.archive(created.id, { ifVersion: 2 })
    check.equal(withVersion, archived, 'and with ifVersion')
    check.equal(await versionNumbers(s.wf, created.id), [2, 1], 'no version written by the second archive')
    check.equal(await s.wf.retrieve(created.id), archived, 'the archived record stays readable')
  },

  async 'versions: newest first, as written; version(id, n) is one of them'(ctx) {
    const s = await newOrg(ctx, 'versions')
    const created = await s.wf.create(FIVE_STEPS)
    const other = await s.newLiveKey('second writer')
    await s.client({ apiKey: other.secret }).workflows.update(created.id, { name: 'V2' })
    await s.wf.updateStepConfig(created.id, 'AGE_ESTIMATION', { minimum_age: 30 })
    const archived = await s.wf.archive(created.id)

    const versions = await s.wf.versions(created.id)
    for (const v of versions) check.keys(v, VERSION_FIELDS, `version ${v.version}`)
    check.equal(
      versions.map((v) => [v.version, v.name, v.status, v.created_by]),
      [
        [4, 'V2', 'archived', s.live.apiKey.id],
        [3, 'V2', 'active', s.live.apiKey.id],
        [2, 'V2', 'active', other.apiKey.id],
        [1, 'Standard onboarding', 'active', s.live.apiKey.id],
      ],
      'versions, newest first, with the key that wrote each',
    )
    check.equal(versions[3]!.steps, created.steps, 'version 1 holds the steps as created')
    check.equal(versions[3]!.created_at, created.created_at, 'version 1 created_at')
    check.equal(versions[0]!.created_at, archived.updated_at, 'the newest version is the record’s updated_at')
    check.equal(versions[1]!.steps[2], { id: 'AGE_ESTIMATION', config: { minimum_age: 30 } }, 'version 3 holds the config change')
    for (const v of versions) check.equal(await s.wf.version(created.id, v.version), v, `version(id, ${v.version})`)
  },
}
