/**
 * The selected step's settings, generated from core's catalog: labels, help, bounds and defaults
 * come from the step's schema (lib/form.ts). Thresholds are a slider with a number field, the age
 * range a pair, flags toggles; the escalation settings appear only while fraud analysis is on.
 * Each field shows core's own messages for it, live.
 */
import type { StepId } from '@wf/core'
import {
  Button,
  Group,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  NumberField,
  Popover,
  Select,
  SelectValue,
  Slider,
  SliderOutput,
  SliderThumb,
  SliderTrack,
  Switch,
  Text,
} from 'react-aria-components'
import { type FieldSpec, lockedFields, stepDescription, stepTitle, visibleFields } from '../../lib/form.js'

interface Props {
  stepId: StepId
  index: number
  /** What the person set (overrides). */
  given: Record<string, unknown>
  /** The config as core resolves it (defaults filled in, derived flags applied). */
  resolved: Record<string, unknown>
  errorsFor: (key: string) => string[]
  readOnly: boolean
  onChange: (key: string, value: unknown) => void
}

export function StepSettings({ stepId, index, given, resolved, errorsFor, readOnly, onChange }: Props) {
  const fields = visibleFields(stepId, resolved)
  // A value core decides whatever is chosen (fraud analysis while an escalation is set): shown, not editable.
  const locked = new Set(lockedFields(stepId, resolved).map((l) => l.key))
  // What is shown is what will be stored (core's resolution of what the person set), except a value
  // core refuses: that stays as typed, beside its message, until the person fixes it.
  const value = (key: string) => ((key in given && errorsFor(key).length > 0) || !(key in resolved) ? given[key] : resolved[key])
  const main = fields.filter((f) => f.group === 'main')
  const escalation = fields.filter((f) => f.group === 'escalation')
  return (
    <section className="settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">
        {index + 1}. {stepTitle(stepId)}
      </h2>
      <p className="hint">{stepDescription(stepId)}</p>
      {fields.length === 0 && <p className="hint">This step has no settings.</p>}
      {main.map((f) => (
        <Control key={f.key} spec={f} value={value} errors={errorsFor} readOnly={readOnly || locked.has(f.key)} onChange={onChange} />
      ))}
      {escalation.length > 0 && (
        <fieldset className="group">
          <legend>Escalation</legend>
          {escalation.map((f) => (
            <Control key={f.key} spec={f} value={value} errors={errorsFor} readOnly={readOnly} onChange={onChange} />
          ))}
        </fieldset>
      )}
    </section>
  )
}

interface ControlProps {
  spec: FieldSpec
  value: (key: string) => unknown
  errors: (key: string) => string[]
  readOnly: boolean
  onChange: (key: string, value: unknown) => void
}

function Errors({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null
  return (
    <ul className="field-errors" id={id}>
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  )
}

/** A number as the field holds it: NaN (an emptied field) removes the override, so the default applies. */
const numberOrUnset = (n: number) => (Number.isNaN(n) ? undefined : n)

function Control({ spec, value, errors, readOnly, onChange }: ControlProps) {
  const errorId = `err-${spec.key}`
  const messages = errors(spec.key)
  const invalid = messages.length > 0
  const described = invalid ? errorId : undefined
  const current = value(spec.key)

  switch (spec.kind) {
    case 'toggle':
      return (
        <div className="field">
          <Switch isSelected={current === true} onChange={(v) => onChange(spec.key, v)} isDisabled={readOnly} aria-describedby={described}>
            <span className="switch-indicator" aria-hidden="true" />
            {spec.label}
          </Switch>
          {spec.help && <p className="help">{spec.help}</p>}
          <Errors id={errorId} messages={messages} />
        </div>
      )
    case 'select':
      return (
        <div className="field">
          <Select
            selectedKey={String(current)}
            onSelectionChange={(k) => onChange(spec.key, k)}
            isDisabled={readOnly}
            isInvalid={invalid}
            aria-describedby={described}
          >
            <Label>{spec.label}</Label>
            <Button className="select-button">
              <SelectValue />
              <span aria-hidden="true">▾</span>
            </Button>
            {spec.help && <Text slot="description">{spec.help}</Text>}
            <Popover>
              <ListBox>
                {(spec.options ?? []).map((o) => (
                  <ListBoxItem key={o.value} id={o.value}>
                    {o.label}
                  </ListBoxItem>
                ))}
              </ListBox>
            </Popover>
          </Select>
          <Errors id={errorId} messages={messages} />
        </div>
      )
    case 'slider':
      return (
        <div className="field slider-field">
          <Slider
            value={typeof current === 'number' ? current : Number(spec.defaultValue)}
            minValue={spec.min ?? 0}
            maxValue={spec.max ?? 100}
            step={spec.step ?? 1}
            onChange={(v) => onChange(spec.key, v)}
            isDisabled={readOnly}
            aria-describedby={described}
          >
            <Label>{spec.label}</Label>
            <SliderOutput />
            <SliderTrack>
              <SliderThumb />
            </SliderTrack>
          </Slider>
          <NumberField
            aria-label={`${spec.label} (number)`}
            value={typeof current === 'number' ? current : Number.NaN}
            onChange={(n) => onChange(spec.key, numberOrUnset(n))}
            isDisabled={readOnly}
            isInvalid={invalid}
            aria-describedby={described}
            step={1}
          >
            <Input className="number" />
          </NumberField>
          {spec.help && <p className="help">{spec.help}</p>}
          <Errors id={errorId} messages={messages} />
        </div>
      )
    case 'range': {
      const [lowKey, highKey] = spec.rangeKeys ?? [spec.key, spec.key]
      const rangeMessages = [...new Set([...errors(lowKey), ...errors(highKey)])]
      return (
        <fieldset className="field range" aria-describedby={rangeMessages.length > 0 ? errorId : undefined}>
          <legend>{spec.label}</legend>
          <Group className="pair">
            {[lowKey, highKey].map((key) => (
              <NumberField
                key={key}
                value={typeof value(key) === 'number' ? (value(key) as number) : Number.NaN}
                onChange={(n) => onChange(key, numberOrUnset(n))}
                isDisabled={readOnly}
                isInvalid={errors(key).length > 0}
                step={1}
              >
                <Label>{key === lowKey ? 'From' : 'To'}</Label>
                <Input className="number" />
              </NumberField>
            ))}
          </Group>
          {spec.help && <p className="help">{spec.help}</p>}
          <Errors id={errorId} messages={rangeMessages} />
        </fieldset>
      )
    }
    default:
      return (
        <div className="field">
          <NumberField
            value={typeof current === 'number' ? current : Number.NaN}
            onChange={(n) => onChange(spec.key, numberOrUnset(n))}
            isDisabled={readOnly}
            isInvalid={invalid}
            aria-describedby={described}
            step={1}
          >
            <Label>{spec.label}</Label>
            <Input className="number" />
            {spec.help && <Text slot="description">{spec.help}</Text>}
          </NumberField>
          <Errors id={errorId} messages={messages} />
        </div>
      )
  }
}
