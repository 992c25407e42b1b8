// The baseline: a bare Hono app on @hono/node-server answering a fixed small JSON. With
// BASELINE_SHAPES (captured from the real server by main.mjs) it also answers, still without any
// work, with the real responses' bytes and headers: GET /shaped like a workflow read, and
// POST /shaped, after reading the body, like the invalid create's 400. Those two show what
// request and response sizes alone cost on this stack.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
const shapes = process.env.BASELINE_SHAPES ? JSON.parse(process.env.BASELINE_SHAPES) : undefined
if (shapes) {
  app.get('/shaped', (c) => c.body(shapes.get.body, shapes.get.status, shapes.get.headers))
  app.post('/shaped', async (c) => {
    await c.req.text()
    return c.body(shapes.post.body, shapes.post.status, shapes.post.headers)
  })
}
app.get('*', (c) => c.json({ hello: 'world' }))
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' })
