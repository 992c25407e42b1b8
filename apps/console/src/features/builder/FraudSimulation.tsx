/**
 * The seed's fraud rule made visible: move a risk score and see, from core's own fraudAnalysis and
 * shouldEscalate, whether a session of this workflow would escalate to an NFC passport scan.
 */
import { useState } from 'react'
import { Label, Slider, SliderOutput, SliderThumb, SliderTrack } from 'react-aria-components'
import { simulate } from '../../lib/fraud-sim.js'

export function FraudSimulation({ config }: { config: Parameters<typeof simulate>[0] }) {
  const [risk, setRisk] = useState(50)
  const result = simulate(config, risk)
  return (
    <section className="simulation" aria-labelledby="simulation-heading">
      <h2 id="simulation-heading">Try the fraud rules</h2>
      <Slider value={risk} onChange={setRisk} minValue={0} maxValue={100} step={1}>
        <Label>Risk score of a session</Label>
        <SliderOutput />
        <SliderTrack>
          <SliderThumb />
        </SliderTrack>
      </Slider>
      <p className={result.escalates ? 'outcome escalates' : 'outcome'} aria-live="polite">
        {result.sentence}
      </p>
    </section>
  )
}
