import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App.js'
import './styles.css'

// react-aria adds an inline <style> (touch-action for pressable elements) unless an element with
// this id exists. The CSP allows no inline style, so the rule lives in styles.css and this marks it.
const marker = document.createElement('meta')
marker.id = 'react-aria-pressable-style'
document.head.append(marker)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
