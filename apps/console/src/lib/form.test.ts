import { defaultStepConfig, parseCreateWorkflow, STEP_CATALOG, STEP_IDS, type StepId } from '@wf/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  displayConfig,
  fieldFor,
  fieldLabel,
  formatValue,
  humanize,
  lockedFields,
  optionLabel,
  stepDescription,
  stepForm,
  stepTitle,
  visibleFields,
} from './form.js'
import { resolvedConfig } from './resolve.js'
import { anyValue, configOf, schemasOf, validValue } from './testing/arbitraries.js'

const RUNS = { numRuns: 300 }

/** Core's issues for one step with this config, at paths relative to the step's config. */
function coreIssues(id: StepId, config: Record<string, unknown>) {
  const r = parseCreateWorkflow({ name: 'x', steps: [{ id, config }] })
  return r.ok ? [] : r.issues.map((i) => ({ ...i, path: i.path.replace('/steps/0/config', '') }))
}

describe('stepForm', () => {
  it('ID verification: the age range as one field, thresholds as sliders, toggles, the escalation select', () => {
    const form = stepForm('ID_VERIFICATION')
    expect(form.map((f) => [f.key, f.kind, f.group])).toEqual([
      ['minimum_age', 'range', 'main'],
      ['expiry_date_years', 'integer', 'main'],
      ['require_secondary_id', 'toggle', 'main'],
      ['require_tertiary_id', 'toggle', 'main'],
      ['face_front_photo_only', 'toggle', 'main'],
      ['require_front_only', 'toggle', 'main'],
      ['enable_fraud_analysis', 'toggle', 'main'],
      ['escalation_type', 'select', 'escalation'],
      ['escalation_risk_threshold', 'slider', 'escalation'],
    ])
    const range = form[0]!
    expect(range).toMatchObject({ label: 'Age range', rangeKeys: ['minimum_age', 'maximum_age'], step: 1 })
    expect(fieldFor('ID_VERIFICATION', 'escalation_type')!.options).toEqual([
      { value: 'none', label: 'None' },
      { value: 'nfc-passport', label: 'NFC passport scan' },
    ])
    expect(fieldFor('ID_VERIFICATION', 'escalation_risk_threshold')!.step).toBe(5)
    expect(fieldFor('ID_VERIFICATION', 'require_secondary_id')!.label).toBe('Require secondary ID')
  })

  it('the other steps', () => {
    expect(stepForm('FACE_LIVENESS')).toEqual([
      expect.objectContaining({ key: 'confidence_threshold', label: 'Confidence threshold', kind: 'slider', step: 1, group: 'main' }),
    ])
    expect(stepForm('AGE_ESTIMATION')).toEqual([expect.objectContaining({ key: 'minimum_age', label: 'Minimum age', kind: 'integer' })])
    expect(stepForm('PEP_SANCTIONS')).toEqual([])
    expect(stepForm('ADVERSE_MEDIA')).toEqual([])
  })

  it.each(STEP_IDS)('%s: every config field of the schema, in order, with its help, bounds and default', (id) => {
    const form = stepForm(id)
    expect(form.flatMap((f) => f.rangeKeys ?? [f.key])).toEqual(schemasOf(id).map(([k]) => k))
    for (const [key, schema] of schemasOf(id)) {
      const field = fieldFor(id, key)!
      if (field.kind === 'range') {
        expect(field.help).toContain(schema.description)
        expect(field.min).toBeLessThanOrEqual(schema.minimum!)
        expect(field.max).toBeGreaterThanOrEqual(schema.maximum!)
        expect(field.defaultValue).toEqual(field.rangeKeys!.map((k) => (defaultStepConfig(id) as Record<string, unknown>)[k]))
      } else {
        expect(field.help).toBe(schema.description)
        expect(field.min).toBe(schema.minimum)
        expect(field.max).toBe(schema.maximum)
        expect(field.defaultValue).toBe(schema.default)
        expect(field.defaultValue).toBe((defaultStepConfig(id) as Record<string, unknown>)[key])
      }
    }
  })

  it.each(STEP_IDS)('%s: each bound of the form is where core starts refusing', (id) => {
    for (const field of stepForm(id).filter((f) => f.min !== undefined)) {
      for (const key of field.rangeKeys ?? [field.key]) {
        const schema = schemasOf(id).find(([k]) => k === key)![1]
        for (const inside of [schema.minimum!, schema.maximum!])
          expect(coreIssues(id, { [key]: inside }).filter((i) => i.path === `/${key}` && !/must not be/.test(i.message))).toEqual([])
        for (const outside of [schema.minimum! - 1, schema.maximum! + 1])
          expect(coreIssues(id, { [key]: outside }).map((i) => i.path)).toContain(`/${key}`)
      }
    }
  })

  it('a new list each time, of the same frozen specs', () => {
    expect(stepForm('FACE_LIVENESS')).not.toBe(stepForm('FACE_LIVENESS'))
    expect(stepForm('FACE_LIVENESS')[0]).toBe(stepForm('FACE_LIVENESS')[0])
    expect(Object.isFrozen(stepForm('FACE_LIVENESS')[0])).toBe(true)
    expect(Object.isFrozen(fieldFor('ID_VERIFICATION', 'escalation_type')!.options)).toBe(true)
  })
})

describe('labels and titles', () => {
  it('humanize', () => {
    expect(humanize('confidence_threshold')).toBe('Confidence threshold')
    expect(humanize('require_front_only')).toBe('Require front only')
    expect(humanize('nfc-passport')).toBe('NFC passport')
    expect(optionLabel('none')).toBe('None')
    expect(optionLabel('nfc-passport')).toBe('NFC passport scan')
    expect(fieldLabel('ID_VERIFICATION', 'maximum_age')).toBe('Maximum age')
  })

  it.each(STEP_IDS)('%s: title and description from the catalog', (id) => {
    expect(stepTitle(id)).toBe(STEP_CATALOG[id].title)
    expect(stepDescription(id)).toBe(STEP_CATALOG[id].description)
  })

  it('formatValue', () => {
    expect(formatValue('ID_VERIFICATION', 'escalation_type', 'nfc-passport')).toBe('NFC passport scan')
    expect(formatValue('ID_VERIFICATION', 'require_front_only', true)).toBe('on')
    expect(formatValue('ID_VERIFICATION', 'require_front_only', false)).toBe('off')
    expect(formatValue('FACE_LIVENESS', 'confidence_threshold', 80)).toBe('80')
    expect(formatValue('FACE_LIVENESS', 'confidence_threshold', undefined)).toBe('(default)')
    expect(formatValue('FACE_LIVENESS', 'confidence_threshold', '80')).toBe('"80"')
  })
})

describe('visibleFields', () => {
  const keys = (config: Record<string, unknown>) =>
    visibleFields('ID_VERIFICATION', resolvedConfig({ id: 'ID_VERIFICATION', config })!).map((f) => f.key)

  it('hides the escalation group while fraud analysis is off', () => {
    expect(keys({})).not.toContain('escalation_type')
    expect(keys({})).not.toContain('escalation_risk_threshold')
  })

  it('shows the escalation type once fraud analysis is on, and the threshold once an escalation is chosen', () => {
    expect(keys({ enable_fraud_analysis: true })).toContain('escalation_type')
    expect(keys({ enable_fraud_analysis: true })).not.toContain('escalation_risk_threshold')
    expect(keys({ escalation_type: 'nfc-passport' })).toEqual(expect.arrayContaining(['escalation_type', 'escalation_risk_threshold']))
  })

  it('shows every field of the other steps', () => {
    for (const id of STEP_IDS.filter((i) => i !== 'ID_VERIFICATION')) {
      expect(visibleFields(id, defaultStepConfig(id) as Record<string, unknown>)).toEqual(stepForm(id))
    }
  })
})

describe('lockedFields', () => {
  it('fraud analysis is locked on while an escalation is chosen, and nothing is locked otherwise', () => {
    expect(lockedFields('ID_VERIFICATION', { escalation_type: 'nfc-passport' })).toEqual([{ key: 'enable_fraud_analysis', value: true }])
    expect(lockedFields('ID_VERIFICATION', {})).toEqual([])
    expect(lockedFields('FACE_LIVENESS', {})).toEqual([])
  })
})

describe('displayConfig', () => {
  it('is core’s resolution when core accepts the config', () => {
    expect(displayConfig({ id: 'FACE_LIVENESS', config: { confidence_threshold: 90 } })).toEqual({ confidence_threshold: 90 })
  })

  it('leaves out what core rejects', () => {
    expect(displayConfig({ id: 'ID_VERIFICATION', config: { minimum_age: 500, escalation_type: 'nfc-passport' } })).toEqual({
      ...defaultStepConfig('ID_VERIFICATION'),
      escalation_type: 'nfc-passport',
      enable_fraud_analysis: true,
    })
    expect(displayConfig({ id: 'ID_VERIFICATION', config: { maximum_age: 16 } })).toEqual(defaultStepConfig('ID_VERIFICATION'))
  })

  it('is always a config core accepts, and exactly core’s resolution when core accepts the config', () => {
    const stepAndConfig = fc.constantFrom(...STEP_IDS).chain((id) => fc.tuple(fc.constant(id), configOf(id, anyValue, true)))
    fc.assert(
      fc.property(stepAndConfig, ([id, config]) => {
        const shown = displayConfig({ id, config })
        expect(resolvedConfig({ id, config: shown })).toEqual(shown)
        if (coreIssues(id, config).length === 0) expect(shown).toEqual(resolvedConfig({ id, config }))
      }),
      RUNS,
    )
  })

  it('visibleFields and lockedFields take any valid config', () => {
    const stepAndConfig = fc.constantFrom(...STEP_IDS).chain((id) => fc.tuple(fc.constant(id), configOf(id, validValue)))
    fc.assert(
      fc.property(stepAndConfig, ([id, config]) => {
        const shown = displayConfig({ id, config })
        const visible = visibleFields(id, shown)
        expect(stepForm(id)).toEqual(expect.arrayContaining(visible))
        for (const { key, value } of lockedFields(id, config)) expect(shown[key]).toBe(value)
      }),
      RUNS,
    )
  })
})
