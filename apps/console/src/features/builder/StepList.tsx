/**
 * The workflow's steps in order. Reorder by dragging, with the keyboard (the drag handle, or
 * "Move up"/"Move down"), remove, select to edit; a step dragged from the palette is inserted
 * where it is dropped.
 */
import type { StepId } from '@wf/core'
import { Button, DropIndicator, GridList, GridListItem, isTextDropItem, useDragAndDrop } from 'react-aria-components'
import type { DraftStep } from '../../lib/draft.js'
import { stepTitle } from '../../lib/form.js'
import { STEP_DRAG_TYPE } from './Palette.js'

interface Props {
  steps: DraftStep[]
  selected: number | undefined
  errorsOf: (index: number) => number
  readOnly: boolean
  onSelect: (index: number) => void
  onMove: (from: number, to: number) => void
  onRemove: (index: number) => void
  onInsert: (id: StepId, index: number) => void
}

export function StepList({ steps, selected, errorsOf, readOnly, onSelect, onMove, onRemove, onInsert }: Props) {
  const { dragAndDropHooks } = useDragAndDrop({
    isDisabled: readOnly,
    // The list's own rows carry the step type too: a drop is valid only with an accepted type.
    getItems: (keys) => [...keys].map((key) => ({ [STEP_DRAG_TYPE]: String(key), 'text/plain': String(key) })),
    acceptedDragTypes: [STEP_DRAG_TYPE],
    onReorder: (e) => {
      const from = steps.findIndex((s) => s.id === [...e.keys][0])
      const target = steps.findIndex((s) => s.id === e.target.key)
      if (from < 0 || target < 0) return
      const to = e.target.dropPosition === 'before' ? (from < target ? target - 1 : target) : from < target ? target : target + 1
      if (to !== from) onMove(from, to)
    },
    onInsert: async (e) => {
      const target = steps.findIndex((s) => s.id === e.target.key)
      const at = e.target.dropPosition === 'before' ? target : target + 1
      for (const item of e.items)
        if (isTextDropItem(item) && item.types.has(STEP_DRAG_TYPE)) onInsert((await item.getText(STEP_DRAG_TYPE)) as StepId, at)
    },
    onRootDrop: async (e) => {
      for (const item of e.items)
        if (isTextDropItem(item) && item.types.has(STEP_DRAG_TYPE)) onInsert((await item.getText(STEP_DRAG_TYPE)) as StepId, steps.length)
    },
    renderDropIndicator: (target) => <DropIndicator target={target} className="drop-indicator" />,
  })

  return (
    <section className="steps" aria-labelledby="steps-heading">
      <h2 id="steps-heading">Workflow steps</h2>
      <GridList
        aria-label="Workflow steps, in order"
        items={steps.map((s, index) => ({ ...s, index }))}
        selectionMode="single"
        selectedKeys={selected === undefined || !steps[selected] ? [] : [steps[selected].id]}
        onSelectionChange={(keys) => {
          const key = [...(keys as Set<string>)][0]
          const index = steps.findIndex((s) => s.id === key)
          if (index >= 0) onSelect(index)
        }}
        dragAndDropHooks={dragAndDropHooks}
        renderEmptyState={() => <p className="hint">No steps yet: add one from the palette, or drag it here.</p>}
      >
        {(step) => (
          <GridListItem id={step.id} textValue={stepTitle(step.id)} className="step-card">
            {({ allowsDragging }) => (
              <>
                {allowsDragging && (
                  <Button slot="drag" className="handle" aria-label={`Drag ${stepTitle(step.id)}`}>
                    ⠿
                  </Button>
                )}
                <span className="step-number">{step.index + 1}</span>
                <span className="step-title">{stepTitle(step.id)}</span>
                {errorsOf(step.index) > 0 && (
                  <span className="step-errors">
                    {errorsOf(step.index)} problem{errorsOf(step.index) === 1 ? '' : 's'}
                  </span>
                )}
                {!readOnly && (
                  <span className="step-actions">
                    <Button
                      aria-label={`Move ${stepTitle(step.id)} up`}
                      isDisabled={step.index === 0}
                      onPress={() => onMove(step.index, step.index - 1)}
                    >
                      ↑
                    </Button>
                    <Button
                      aria-label={`Move ${stepTitle(step.id)} down`}
                      isDisabled={step.index === steps.length - 1}
                      onPress={() => onMove(step.index, step.index + 1)}
                    >
                      ↓
                    </Button>
                    <Button aria-label={`Remove ${stepTitle(step.id)}`} onPress={() => onRemove(step.index)}>
                      ✕
                    </Button>
                  </span>
                )}
              </>
            )}
          </GridListItem>
        )}
      </GridList>
    </section>
  )
}
