/** The workflow as it will be stored (defaults resolved), and the request as JSON, curl and @wf/client code. */
import { useState } from 'react'
import { Button, Tab, TabList, TabPanel, Tabs } from 'react-aria-components'

export interface PreviewTexts {
  stored: string
  json: string
  curl: string
  client: string
}

const TABS: { id: keyof PreviewTexts; label: string }[] = [
  { id: 'stored', label: 'As stored' },
  { id: 'json', label: 'Request JSON' },
  { id: 'curl', label: 'curl' },
  { id: 'client', label: '@wf/client' },
]

export function Preview({ texts }: { texts: PreviewTexts }) {
  return (
    <section className="preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview</h2>
      <Tabs>
        <TabList aria-label="Preview as">
          {TABS.map((t) => (
            <Tab key={t.id} id={t.id}>
              {t.label}
            </Tab>
          ))}
        </TabList>
        {TABS.map((t) => (
          <TabPanel key={t.id} id={t.id}>
            <CopyButton text={texts[t.id]} what={t.label} />
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard (WCAG 2.1.1; axe scrollable-region-focusable) */}
            <pre tabIndex={0}>
              <code>{texts[t.id]}</code>
            </pre>
          </TabPanel>
        ))}
      </Tabs>
    </section>
  )
}

function CopyButton({ text, what }: { text: string; what: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <Button
      className="copy"
      aria-label={`Copy ${what}`}
      onPress={async () => {
        await navigator.clipboard.writeText(text)
        setCopied(true)
        setTimeout(() => setCopied(false), 1500)
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </Button>
  )
}
