/** Sign in with an API key: checked against the server (one list call) before it is kept. */
import { AuthenticationError } from '@wf/client'
import { useState } from 'react'
import { Button, FieldError, Form, Input, Label, Text, TextField } from 'react-aria-components'
import { describeFailure } from '../../app/failure.js'
import { type Session, sessionFor } from '../../app/session.js'

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  async function submit() {
    const apiKey = key.trim()
    if (apiKey === '') {
      setError('Enter an API key.')
      return
    }
    setBusy(true)
    setError(undefined)
    const session = sessionFor(apiKey)
    try {
      await session.client.workflows.list({ limit: 1 })
      onSignedIn(session)
    } catch (e) {
      setError(e instanceof AuthenticationError ? 'This API key was refused: it is unknown or revoked.' : describeFailure(e).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="sign-in">
      <h1>wf console</h1>
      <p>Build and manage KYC verification workflows.</p>
      <Form
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
        validationErrors={error ? { apiKey: error } : {}}
      >
        <TextField name="apiKey" type="password" value={key} onChange={setKey} isInvalid={error !== undefined} autoComplete="off">
          <Label>API key</Label>
          <Input placeholder="wf_live_… or wf_sandbox_…" spellCheck={false} />
          <Text slot="description">
            Kept in this tab only, until you sign out or close it. A sandbox key can read but not change anything.
          </Text>
          <FieldError>{error}</FieldError>
        </TextField>
        <Button type="submit" isDisabled={busy} className="primary">
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </Form>
    </main>
  )
}
