// The baseline: a bare Hono "hello" Worker answering a fixed small JSON.
import { Hono } from 'hono'

const app = new Hono()
app.get('*', (c) => c.json({ hello: 'world' }))
export default app
