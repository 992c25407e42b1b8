/**
 * Someone else saved this workflow since it was opened (412): both versions side by side; the
 * person reloads theirs (dropping this edit) or overwrites it with this one. Nothing is lost silently.
 */
import type { Workflow } from '@wf/client'
import { Button, Dialog, Heading, Modal } from 'react-aria-components'

interface Props {
  mine: string
  theirs: Workflow
  onReload: () => void
  onOverwrite: () => void
  onCancel: () => void
}

export function ConflictDialog({ mine, theirs, onReload, onOverwrite, onCancel }: Props) {
  return (
    <Modal isOpen isDismissable onOpenChange={(open) => !open && onCancel()} className="modal">
      <Dialog className="dialog wide" role="alertdialog">
        <Heading slot="title">Someone else saved this workflow</Heading>
        <p>
          It is now at version {theirs.version} ({new Date(theirs.updated_at).toLocaleString()}). Your edit is not saved yet and is kept
          until you choose.
        </p>
        <div className="side-by-side">
          <figure>
            <figcaption>Your version</figcaption>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard (WCAG 2.1.1; axe scrollable-region-focusable) */}
            <pre tabIndex={0}>
              <code>{mine}</code>
            </pre>
          </figure>
          <figure>
            <figcaption>Saved version {theirs.version}</figcaption>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard (WCAG 2.1.1; axe scrollable-region-focusable) */}
            <pre tabIndex={0}>
              <code>{JSON.stringify({ name: theirs.name, steps: theirs.steps }, null, 2)}</code>
            </pre>
          </figure>
        </div>
        <div className="actions">
          <Button onPress={onReload}>Reload their version</Button>
          <Button className="danger" onPress={onOverwrite}>
            Overwrite with mine
          </Button>
          <Button onPress={onCancel}>Keep editing</Button>
        </div>
      </Dialog>
    </Modal>
  )
}
