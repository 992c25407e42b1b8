/** API key secrets: `wf_live_…` or `wf_sandbox_…` followed by 256 random bits, base64url. */

function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** A new API key secret. */
export function newKeySecret(mode: 'live' | 'sandbox'): string {
  return `wf_${mode}_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`
}

/** Secrets have this shape; anything else is refused before it reaches the database. */
export const KEY_SECRET = /^wf_(live|sandbox)_[A-Za-z0-9_-]{43}$/

/** What people see of a key: enough to tell keys apart, far too little to guess it. */
export function keyPrefix(secret: string): string {
  return secret.slice(0, secret.indexOf('_', 3) + 5)
}
