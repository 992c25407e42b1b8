/** The console: sign in, then the list, the builder and the history, one URL each. */
import { SANDBOX_KEY_MESSAGE } from '@wf/core'
import { useEffect, useState } from 'react'
import { Button } from 'react-aria-components'
import { Builder } from '../features/builder/Builder.js'
import { History } from '../features/history/History.js'
import { SignIn } from '../features/sign-in/SignIn.js'
import { WorkflowList } from '../features/workflows/WorkflowList.js'
import { useRoute } from './route.js'
import { forgetSession, keepSession, RATE_LIMITED_EVENT, restoreSession, type Session } from './session.js'

export function App() {
  const [session, setSession] = useState<Session | undefined>(restoreSession)
  const [route, navigate] = useRoute()

  if (!session) {
    return (
      <SignIn
        onSignedIn={(s) => {
          keepSession(s)
          setSession(s)
        }}
      />
    )
  }

  const signOut = () => {
    forgetSession()
    setSession(undefined)
    navigate({ view: 'list' })
  }

  return (
    <>
      <header className="top">
        <a
          href="/console/"
          className="brand"
          onClick={(e) => {
            e.preventDefault()
            navigate({ view: 'list' })
          }}
        >
          wf console
        </a>
        <span className="key-mode">{session.sandbox ? 'Sandbox key' : 'Live key'}</span>
        <Button onPress={signOut}>Sign out</Button>
      </header>
      {session.sandbox && (
        <p className="banner read-only" role="status">
          Read-only: {SANDBOX_KEY_MESSAGE}
        </p>
      )}
      <RateLimitNotice />
      <main className="page">
        {route.view === 'list' && <WorkflowList session={session} navigate={navigate} />}
        {route.view === 'new' && (
          <Builder key={`new-${route.template ?? ''}`} session={session} navigate={navigate} template={route.template} />
        )}
        {route.view === 'edit' && <Builder key={route.id} session={session} navigate={navigate} workflowId={route.id} />}
        {route.view === 'history' && <History key={route.id} session={session} navigate={navigate} workflowId={route.id} />}
      </main>
    </>
  )
}

/** Shows, while it lasts, that the server asked to wait (429) and the console is waiting. */
function RateLimitNotice() {
  const [until, setUntil] = useState<number>()
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const on = (e: Event) => setUntil(Date.now() + Math.min(60, (e as CustomEvent<number>).detail) * 1000)
    window.addEventListener(RATE_LIMITED_EVENT, on)
    return () => window.removeEventListener(RATE_LIMITED_EVENT, on)
  }, [])
  useEffect(() => {
    if (until === undefined) return
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [until])
  if (until === undefined || now >= until) return null
  return (
    <p className="banner waiting" role="status">
      Too many requests: the server asked to wait. Trying again in {Math.ceil((until - now) / 1000)} s…
    </p>
  )
}
