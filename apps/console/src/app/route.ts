/**
 * Where the person is, as a URL under /console/ (so a reload or a shared link opens the same
 * screen): the list, a new workflow (optionally from a template), one workflow, its history.
 */
import { useCallback, useEffect, useState } from 'react'

export type Route = { view: 'list' } | { view: 'new'; template?: string } | { view: 'edit'; id: string } | { view: 'history'; id: string }

const BASE = '/console/'

export function parseRoute(pathname: string, search = ''): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : ''
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent)
  if (parts[0] === 'workflows' && parts[1] === 'new') {
    const template = new URLSearchParams(search).get('template') ?? undefined
    return template ? { view: 'new', template } : { view: 'new' }
  }
  if (parts[0] === 'workflows' && parts[1])
    return parts[2] === 'history' ? { view: 'history', id: parts[1] } : { view: 'edit', id: parts[1] }
  return { view: 'list' }
}

export function routePath(route: Route): string {
  switch (route.view) {
    case 'list':
      return BASE
    case 'new':
      return `${BASE}workflows/new${route.template ? `?template=${encodeURIComponent(route.template)}` : ''}`
    case 'edit':
      return `${BASE}workflows/${encodeURIComponent(route.id)}`
    case 'history':
      return `${BASE}workflows/${encodeURIComponent(route.id)}/history`
  }
}

export function useRoute(): [Route, (next: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname, window.location.search))
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.pathname, window.location.search))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  const navigate = useCallback((next: Route) => {
    window.history.pushState(null, '', routePath(next))
    setRoute(next)
    window.scrollTo(0, 0)
  }, [])
  return [route, navigate]
}
