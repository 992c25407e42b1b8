/**
 * Content-Type by file extension, as Workers Static Assets send it (wrangler 4.86 / miniflare: the
 * `mime` package's type, `; charset=utf-8` added to text/*). Read off miniflare for each of these
 * extensions. An extension not listed gets no Content-Type from Workers and application/octet-stream
 * from the Node server (which cannot send a body without one). The edge app's
 * test-isolates/console.test.ts compares both apps on a file of every extension here.
 */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  map: 'application/json',
  webmanifest: 'application/manifest+json',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/vnd.microsoft.icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  eot: 'application/vnd.ms-fontobject',
  wasm: 'application/wasm',
  pdf: 'application/pdf',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  webm: 'video/webm',
}

/** The Content-Type of a file by its name, or undefined (none sent). */
export function contentTypeOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.')
  if (dot <= name.lastIndexOf('/')) return undefined
  return CONTENT_TYPES[name.slice(dot + 1).toLowerCase()]
}
