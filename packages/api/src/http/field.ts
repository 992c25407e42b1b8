/**
 * A request header's value as HTTP defines it: without surrounding spaces and tabs (RFC 9110
 * §5.5). Node's parser drops them; workerd's keeps trailing ones (an `x-api-key` with a trailing
 * space was 401 on the edge and 200 on Node). Every header the API reads goes through here.
 */
import type { Context } from 'hono'

const PADDING = /^[ \t]+|[ \t]+$/g

export function field(c: Context, name: string): string | undefined {
  const value = c.req.header(name)
  return value === undefined ? undefined : value.replace(PADDING, '')
}
