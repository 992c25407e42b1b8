/** The catalog's steps not yet in the workflow: add one by clicking it or by dragging it into the list. */
import type { StepId } from '@wf/core'
import { Button, useDrag } from 'react-aria-components'
import { stepTitle } from '../../lib/form.js'

export const STEP_DRAG_TYPE = 'application/x-wf-step'

export function Palette({ available, onAdd, disabled }: { available: StepId[]; onAdd: (id: StepId) => void; disabled: boolean }) {
  return (
    <section className="palette" aria-labelledby="palette-heading">
      <h2 id="palette-heading">Steps</h2>
      {available.length === 0 ? (
        <p className="hint">Every step of the catalog is in this workflow.</p>
      ) : (
        <ul>
          {available.map((id) => (
            <PaletteItem key={id} id={id} onAdd={onAdd} disabled={disabled} />
          ))}
        </ul>
      )}
    </section>
  )
}

function PaletteItem({ id, onAdd, disabled }: { id: StepId; onAdd: (id: StepId) => void; disabled: boolean }) {
  const { dragProps, isDragging } = useDrag({
    isDisabled: disabled,
    getItems: () => [{ [STEP_DRAG_TYPE]: id, 'text/plain': stepTitle(id) }],
  })
  return (
    <li {...dragProps} className={isDragging ? 'dragging' : undefined}>
      <Button onPress={() => onAdd(id)} isDisabled={disabled}>
        {stepTitle(id)}
      </Button>
    </li>
  )
}
