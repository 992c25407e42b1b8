/**
 * Build a new workflow or edit one: the palette, the ordered steps, the selected step's settings,
 * everything checked live by @wf/core (the API's messages and JSON Pointers), a preview, the fraud
 * simulation; save with an Idempotency-Key (create) or If-Match at the version opened (update).
 */
import { PreconditionFailedError, type Workflow } from '@wf/client'
import type { StepId } from '@wf/core'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Button, Dialog, DialogTrigger, FieldError, FileTrigger, Heading, Input, Label, Modal, TextField } from 'react-aria-components'
import { describeFailure, type Failure } from '../../app/failure.js'
import type { Route } from '../../app/route.js'
import type { Session } from '../../app/session.js'
import { addStep, availableSteps, type Draft, fromWorkflow, moveStep, removeStep, setField, toRequest } from '../../lib/draft.js'
import { displayConfig } from '../../lib/form.js'
import { snippets } from '../../lib/snippets.js'
import { TEMPLATES } from '../../lib/templates.js'
import { check } from '../../lib/validate.js'
import { fileName, fromFileText, toFileText } from '../../lib/workflow-file.js'
import { ConflictDialog } from './ConflictDialog.js'
import { FraudSimulation } from './FraudSimulation.js'
import { Palette } from './Palette.js'
import { Preview } from './Preview.js'
import { StepList } from './StepList.js'
import { StepSettings } from './StepSettings.js'

interface Props {
  session: Session
  navigate: (r: Route) => void
  workflowId?: string | undefined
  template?: string | undefined
}

const EMPTY: Draft = { name: '', steps: [] }
const sameRequest = (a: Draft, b: Draft) => JSON.stringify(toRequest(a)) === JSON.stringify(toRequest(b))

export function Builder({ session, navigate, workflowId, template }: Props) {
  const { client } = session
  const [original, setOriginal] = useState<Workflow>()
  const [draft, setDraft] = useState<Draft>(() => TEMPLATES.find((t) => t.id === template)?.draft ?? EMPTY)
  const [selected, setSelected] = useState<number | undefined>(draft.steps.length > 0 ? 0 : undefined)
  const [loading, setLoading] = useState(workflowId !== undefined)
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<Failure & { retry?: () => void }>()
  const [notice, setNotice] = useState<string>()
  const [conflict, setConflict] = useState<Workflow>()
  const [fileProblems, setFileProblems] = useState<string[]>([])
  // One Idempotency-Key per body: a retried create replays; a changed body is a new create.
  const attempt = useRef<{ key: string; body: string }>(undefined)

  const load = async () => {
    if (workflowId === undefined) return
    setLoading(true)
    setFailure(undefined)
    try {
      const w = await client.workflows.retrieve(workflowId)
      setOriginal(w)
      setDraft(fromWorkflow(w))
      setSelected(w.steps.length > 0 ? 0 : undefined)
    } catch (e) {
      setFailure({ ...describeFailure(e), retry: () => void load() })
    } finally {
      setLoading(false)
    }
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: loads once per workflow (the component is keyed by id)
  useEffect(() => {
    void load()
  }, [])

  const checked = useMemo(() => check(draft), [draft])
  const archived = original?.status === 'archived'
  const readOnly = session.sandbox || archived
  const dirty = original ? !sameRequest(draft, fromWorkflow(original)) : !sameRequest(draft, EMPTY)
  const request = useMemo(() => toRequest(draft), [draft])
  const texts = useMemo(() => {
    const s = snippets({
      origin: window.location.origin,
      body: request,
      ...(original && { workflowId: original.id, ifVersion: original.version }),
    })
    return {
      stored: checked.resolved ? JSON.stringify(checked.resolved, null, 2) : 'Fix the problems to see the workflow as it will be stored.',
      ...s,
    }
  }, [checked, original, request])

  const change = (next: Draft) => {
    setDraft(next)
    setNotice(undefined)
  }

  async function save(ifVersion?: number) {
    if (!checked.ok || readOnly) return
    setSaving(true)
    setFailure(undefined)
    setConflict(undefined)
    try {
      if (!original) {
        const body = JSON.stringify(request)
        if (attempt.current?.body !== body) attempt.current = { key: crypto.getRandomValues(new Uint32Array(4)).join('-'), body }
        const created = await client.workflows.create(request, { idempotencyKey: attempt.current.key })
        navigate({ view: 'edit', id: created.id })
        return
      }
      const updated = await client.workflows.update(original.id, request, { ifVersion: ifVersion ?? original.version })
      setOriginal(updated)
      setDraft(fromWorkflow(updated))
      setNotice(`Saved: version ${updated.version}.`)
    } catch (e) {
      if (e instanceof PreconditionFailedError && original) {
        try {
          setConflict(await client.workflows.retrieve(original.id))
        } catch (inner) {
          setFailure({ ...describeFailure(inner), retry: () => void save(ifVersion) })
        }
      } else {
        setFailure({ ...describeFailure(e), retry: () => void save(ifVersion) })
      }
    } finally {
      setSaving(false)
    }
  }

  async function archive() {
    if (!original) return
    setFailure(undefined)
    try {
      const w = await client.workflows.archive(original.id)
      setOriginal(w)
      setDraft(fromWorkflow(w))
      setNotice('Archived: the workflow stays readable and can no longer change.')
    } catch (e) {
      setFailure({ ...describeFailure(e), retry: () => void archive() })
    }
  }

  if (loading) return <p aria-live="polite">Loading…</p>
  if (workflowId !== undefined && !original) {
    return (
      <div className="banner error" role="alert">
        {failure?.message ?? 'This workflow could not be loaded.'} {failure?.retry && <Button onPress={failure.retry}>Try again</Button>}
      </div>
    )
  }

  const current = selected !== undefined ? draft.steps[selected] : undefined
  const resolvedSteps = checked.resolved?.steps
  const idv = resolvedSteps?.find((s) => s.id === 'ID_VERIFICATION')

  return (
    <div className="builder">
      <div className="toolbar">
        <h1>{original ? original.name : 'New workflow'}</h1>
        {original && (
          <span className={`status ${original.status}`}>
            {original.status} · version {original.version}
          </span>
        )}
        <div className="actions">
          {original && <Button onPress={() => navigate({ view: 'history', id: original.id })}>History</Button>}
          <Button
            onPress={() => {
              const blob = new Blob([toFileText(draft)], { type: 'application/json' })
              const a = document.createElement('a')
              a.href = URL.createObjectURL(blob)
              a.download = fileName(draft)
              a.click()
              URL.revokeObjectURL(a.href)
            }}
          >
            Download
          </Button>
          {!readOnly && (
            <FileTrigger
              acceptedFileTypes={['application/json', '.json']}
              onSelect={async (files) => {
                const file = files?.[0]
                if (!file) return
                const opened = fromFileText(await file.text())
                if (opened.ok) {
                  change({ ...opened.draft })
                  setSelected(opened.draft.steps.length > 0 ? 0 : undefined)
                  setFileProblems([])
                } else setFileProblems(opened.problems)
              }}
            >
              <Button>Open file</Button>
            </FileTrigger>
          )}
          {original && !archived && !session.sandbox && (
            <DialogTrigger>
              <Button className="danger">Archive</Button>
              <Modal isDismissable className="modal">
                <Dialog className="dialog" role="alertdialog">
                  {({ close }) => (
                    <>
                      <Heading slot="title">Archive “{original.name}”?</Heading>
                      <p>An archived workflow stays readable, with its history, but can no longer be changed. This cannot be undone.</p>
                      <div className="actions">
                        <Button onPress={close}>Cancel</Button>
                        <Button
                          className="danger"
                          onPress={() => {
                            close()
                            void archive()
                          }}
                        >
                          Archive workflow
                        </Button>
                      </div>
                    </>
                  )}
                </Dialog>
              </Modal>
            </DialogTrigger>
          )}
          <Button
            className="primary"
            isDisabled={readOnly || saving || !checked.ok || (original !== undefined && !dirty)}
            onPress={() => void save()}
          >
            {saving ? 'Saving…' : 'Save'}
          </Button>
        </div>
      </div>

      {archived && (
        <p className="banner read-only" role="status">
          This workflow is archived: it is read-only.
        </p>
      )}
      {notice && (
        <p className="banner ok" role="status">
          {notice}
        </p>
      )}
      {failure && (
        <div className="banner error" role="alert">
          {failure.message} {failure.retryable && failure.retry && <Button onPress={failure.retry}>Try again</Button>}
        </div>
      )}
      {fileProblems.length > 0 && (
        <div className="banner error" role="alert">
          That file could not be opened:
          <ul>
            {fileProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}

      <TextField
        value={draft.name}
        onChange={(name) => change({ ...draft, name })}
        isDisabled={readOnly}
        isInvalid={checked.nameErrors.length > 0}
        className="name-field"
      >
        <Label>Workflow name</Label>
        <Input />
        <FieldError>{checked.nameErrors.join(' ')}</FieldError>
      </TextField>

      <div className="panes">
        <Palette
          available={availableSteps(draft)}
          disabled={readOnly}
          onAdd={(id: StepId) => {
            change(addStep(draft, id))
            setSelected(draft.steps.length)
          }}
        />
        <StepList
          steps={draft.steps}
          selected={selected}
          readOnly={readOnly}
          errorsOf={(i) => checked.problemsInStep(i)}
          onSelect={setSelected}
          onMove={(from, to) => {
            change(moveStep(draft, from, to))
            if (selected === from) setSelected(to)
          }}
          onRemove={(i) => {
            change(removeStep(draft, i))
            setSelected(draft.steps.length > 1 ? Math.min(i, draft.steps.length - 2) : undefined)
          }}
          onInsert={(id, at) => {
            change(addStep(draft, id, at))
            setSelected(at)
          }}
        />
        {current && selected !== undefined ? (
          <StepSettings
            key={current.id}
            stepId={current.id}
            index={selected}
            given={current.config}
            resolved={displayConfig(current)}
            errorsFor={(key) => checked.fieldErrors(selected, key)}
            readOnly={readOnly}
            onChange={(key, value) => change(setField(draft, selected, key, value))}
          />
        ) : (
          <section className="settings">
            <h2>Settings</h2>
            <p className="hint">Select a step to see its settings.</p>
          </section>
        )}
      </div>

      <section className="problems" aria-labelledby="problems-heading" aria-live="polite">
        <h2 id="problems-heading">
          {checked.ok ? 'No problems' : `${checked.summary.length} problem${checked.summary.length === 1 ? '' : 's'} to fix before saving`}
        </h2>
        {!checked.ok && (
          <ul>
            {checked.summary.map((p) => (
              <li key={`${p.path} ${p.message}`}>
                <strong>{p.label}</strong>: {p.message} <code>{p.path || '/'}</code>
              </li>
            ))}
          </ul>
        )}
      </section>

      {idv && <FraudSimulation config={idv.config as Parameters<typeof FraudSimulation>[0]['config']} />}
      <Preview texts={texts} />

      {conflict && original && (
        <ConflictDialog
          mine={JSON.stringify(request, null, 2)}
          theirs={conflict}
          onCancel={() => setConflict(undefined)}
          onReload={() => {
            setOriginal(conflict)
            setDraft(fromWorkflow(conflict))
            setConflict(undefined)
            setNotice(`Reloaded version ${conflict.version}; your edit was discarded.`)
          }}
          onOverwrite={() => void save(conflict.version)}
        />
      )}
    </div>
  )
}
