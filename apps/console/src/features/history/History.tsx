/**
 * The versions of a workflow as a timeline, newest first; a readable diff of any two (steps added,
 * removed, moved; values changed); "Restore" writes an old version's name and steps as a new
 * version (If-Match at the current one), so history is never rewritten.
 */
import { PreconditionFailedError, type Workflow, type WorkflowVersion } from '@wf/client'
import { useEffect, useState } from 'react'
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components'
import { describeFailure, type Failure } from '../../app/failure.js'
import type { Route } from '../../app/route.js'
import type { Session } from '../../app/session.js'
import { describeChange, diffVersions } from '../../lib/diff.js'
import { stepTitle } from '../../lib/form.js'

interface Props {
  session: Session
  navigate: (r: Route) => void
  workflowId: string
}

export function History({ session, navigate, workflowId }: Props) {
  const { client } = session
  const [workflow, setWorkflow] = useState<Workflow>()
  const [versions, setVersions] = useState<WorkflowVersion[]>([])
  const [from, setFrom] = useState<number>()
  const [to, setTo] = useState<number>()
  const [failure, setFailure] = useState<Failure>()
  const [notice, setNotice] = useState<string>()

  const load = async () => {
    setFailure(undefined)
    try {
      const [w, vs] = await Promise.all([client.workflows.retrieve(workflowId), client.workflows.versions(workflowId)])
      setWorkflow(w)
      setVersions(vs)
      setTo(vs[0]?.version)
      setFrom(vs[1]?.version ?? vs[0]?.version)
    } catch (e) {
      setFailure(describeFailure(e))
    }
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: loads once per workflow (the component is keyed by id)
  useEffect(() => {
    void load()
  }, [])

  async function restore(v: WorkflowVersion) {
    if (!workflow) return
    setFailure(undefined)
    try {
      const w = await client.workflows.update(workflow.id, { name: v.name, steps: v.steps }, { ifVersion: workflow.version })
      setNotice(
        w.version === workflow.version
          ? `Version ${v.version} is already the current content.`
          : `Restored version ${v.version} as version ${w.version}.`,
      )
      await load()
    } catch (e) {
      setFailure(
        e instanceof PreconditionFailedError
          ? {
              message: 'Someone else saved this workflow meanwhile: the history was reloaded; restore again if you still want to.',
              retryable: false,
            }
          : describeFailure(e),
      )
      if (e instanceof PreconditionFailedError) await load()
    }
  }

  const a = versions.find((v) => v.version === from)
  const b = versions.find((v) => v.version === to)
  const changes = a && b ? diffVersions(a, b) : []
  const readOnly = session.sandbox || workflow?.status === 'archived'

  return (
    <section aria-labelledby="history-heading" className="history">
      <div className="toolbar">
        <h1 id="history-heading">History{workflow ? ` of ${workflow.name}` : ''}</h1>
        <Button onPress={() => navigate({ view: 'edit', id: workflowId })}>Back to the workflow</Button>
      </div>
      {notice && (
        <p className="banner ok" role="status">
          {notice}
        </p>
      )}
      {failure && (
        <div className="banner error" role="alert">
          {failure.message} <Button onPress={() => void load()}>Reload</Button>
        </div>
      )}

      <ol className="timeline">
        {versions.map((v) => (
          <li key={v.version}>
            <strong>Version {v.version}</strong>
            {v.version === workflow?.version && <span className="status active">current</span>}
            <span className={`status ${v.status}`}>{v.status}</span>
            <time dateTime={v.created_at}>{new Date(v.created_at).toLocaleString()}</time>
            <span className="by">by {v.created_by}</span>
            <span className="steps">
              {v.name}: {v.steps.map((s) => stepTitle(s.id)).join(' → ') || 'no steps'}
            </span>
            {!readOnly && v.version !== workflow?.version && (
              <Button onPress={() => void restore(v)} aria-label={`Restore version ${v.version}`}>
                Restore
              </Button>
            )}
          </li>
        ))}
      </ol>

      {versions.length > 1 && (
        <section aria-labelledby="diff-heading" className="diff">
          <h2 id="diff-heading">Compare two versions</h2>
          <div className="filters">
            <VersionPicker label="From version" versions={versions} value={from} onChange={setFrom} />
            <VersionPicker label="To version" versions={versions} value={to} onChange={setTo} />
          </div>
          {changes.length === 0 ? (
            <p>No differences.</p>
          ) : (
            <ul className="changes">
              {changes.map((c) => (
                <li key={describeChange(c)} className={`change ${c.kind}`}>
                  {describeChange(c)}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </section>
  )
}

function VersionPicker({
  label,
  versions,
  value,
  onChange,
}: {
  label: string
  versions: WorkflowVersion[]
  value: number | undefined
  onChange: (v: number) => void
}) {
  return (
    <Select selectedKey={value === undefined ? null : String(value)} onSelectionChange={(k) => onChange(Number(k))}>
      <Label>{label}</Label>
      <Button className="select-button">
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </Button>
      <Popover>
        <ListBox>
          {versions.map((v) => (
            <ListBoxItem key={v.version} id={String(v.version)}>
              {`Version ${v.version}`}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  )
}
