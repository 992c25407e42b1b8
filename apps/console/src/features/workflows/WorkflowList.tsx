/**
 * The organization's workflows, newest first: filter by status, search by name, one page of 100
 * at a time with "Load more" (the cursor goes past 1,000 as far as there are workflows).
 */
import type { WorkflowStatus, WorkflowSummary } from '@wf/client'
import { useCallback, useEffect, useState } from 'react'
import { Button, Input, Label, Radio, RadioGroup, SearchField } from 'react-aria-components'
import { describeFailure, type Failure } from '../../app/failure.js'
import type { Route } from '../../app/route.js'
import type { Session } from '../../app/session.js'
import { stepTitle } from '../../lib/form.js'
import { TEMPLATES } from '../../lib/templates.js'

const PAGE = 100
type Filter = 'all' | WorkflowStatus

export function WorkflowList({ session, navigate }: { session: Session; navigate: (r: Route) => void }) {
  const [filter, setFilter] = useState<Filter>('active')
  const [search, setSearch] = useState('')
  const [rows, setRows] = useState<WorkflowSummary[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [failure, setFailure] = useState<Failure>()

  const load = useCallback(
    async (from: string | null, replace: boolean) => {
      setLoading(true)
      setFailure(undefined)
      try {
        const page = await session.client.workflows.list({
          limit: PAGE,
          ...(filter !== 'all' && { status: filter }),
          ...(from !== null && { cursor: from }),
        })
        setRows((old) => (replace ? page.data : [...old, ...page.data]))
        setCursor(page.nextCursor)
      } catch (e) {
        setFailure(describeFailure(e))
      } finally {
        setLoading(false)
      }
    },
    [session, filter],
  )

  useEffect(() => {
    void load(null, true)
  }, [load])

  const needle = search.trim().toLowerCase()
  const shown = needle === '' ? rows : rows.filter((w) => w.name.toLowerCase().includes(needle))
  const nothingYet = !loading && !failure && rows.length === 0 && filter !== 'archived'

  return (
    <section aria-labelledby="workflows-heading">
      <div className="toolbar">
        <h1 id="workflows-heading">Workflows</h1>
        <Button className="primary" isDisabled={session.sandbox} onPress={() => navigate({ view: 'new' })}>
          New workflow
        </Button>
      </div>
      <div className="filters">
        <RadioGroup value={filter} onChange={(v) => setFilter(v as Filter)} orientation="horizontal" className="segmented">
          <Label>Status</Label>
          <Radio value="active">Active</Radio>
          <Radio value="archived">Archived</Radio>
          <Radio value="all">All</Radio>
        </RadioGroup>
        <SearchField value={search} onChange={setSearch}>
          <Label>Search by name</Label>
          <Input placeholder="Onboarding…" />
        </SearchField>
      </div>

      {failure && (
        <div className="banner error" role="alert">
          {failure.message} <Button onPress={() => void load(null, true)}>Try again</Button>
        </div>
      )}

      {nothingYet ? (
        <div className="empty">
          <h2>No workflows yet</h2>
          <p>A workflow is the ordered list of checks a person goes through: ID document, liveness, age, screening.</p>
          {session.sandbox ? (
            <p>This sandbox key can only read: sign in with a live key to create one.</p>
          ) : (
            <>
              <p>Start from a template, or from scratch:</p>
              <ul className="templates">
                {TEMPLATES.map((t) => (
                  <li key={t.id}>
                    <Button onPress={() => navigate({ view: 'new', template: t.id })}>{t.title}</Button> <span>{t.description}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Workflows, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Steps</th>
                <th scope="col">Version</th>
                <th scope="col">Last update</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((w) => (
                <tr key={w.id}>
                  <td>
                    <a
                      href={`/console/workflows/${encodeURIComponent(w.id)}`}
                      onClick={(e) => {
                        e.preventDefault()
                        navigate({ view: 'edit', id: w.id })
                      }}
                    >
                      {w.name}
                    </a>
                  </td>
                  <td>
                    <span className={`status ${w.status}`}>{w.status}</span>
                  </td>
                  <td>{w.steps.map(stepTitle).join(' → ') || '—'}</td>
                  <td>{w.version}</td>
                  <td>
                    <time dateTime={w.updated_at}>{new Date(w.updated_at).toLocaleString()}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="count" aria-live="polite">
            {loading ? 'Loading…' : `${shown.length} of ${rows.length} loaded${cursor ? '; more on the server' : ''}`}
          </p>
          {cursor && (
            <Button isDisabled={loading} onPress={() => void load(cursor, false)}>
              Load more
            </Button>
          )}
        </div>
      )}
    </section>
  )
}
