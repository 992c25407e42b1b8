/**
 * The console is built into dist/console/ with every URL under /console/: the Node server serves
 * dist/console at /console/, and the edge app's Workers Static Assets serve dist/ as it is.
 * `pnpm --filter @wf/console dev` proxies the API to a local server (WF_CONSOLE_API, default
 * http://127.0.0.1:3000), so the console and the API share an origin as in production.
 */
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const api = process.env.WF_CONSOLE_API ?? 'http://127.0.0.1:3000'

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist/console',
    emptyOutDir: true,
    // Nothing inline: the CSP allows scripts and styles from the console's own origin only.
    assetsInlineLimit: 0,
    // No source maps in what the servers serve: the source is public in the repository anyway.
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: { '/v1': api, '/admin': api, '/health': api, '/openapi.json': api },
  },
})
