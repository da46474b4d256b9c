/**
 * Who may talk to the bridge. Each check alone is known to fail (DNS rebinding defeats Origin
 * checks, a leaked URL defeats Host checks, a page on another local port defeats both), so every
 * request must pass all of them, and every refusal says why.
 */
import type { IncomingMessage } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'

export type Verdict = { ok: true } | { ok: false, status: number, reason: string }

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]']

function isLoopbackAddress(addr: string | undefined): boolean {
  if (!addr)
    return false
  return addr === '::1' || /^(?:::ffff:)?127\.\d+\.\d+\.\d+$/.test(addr)
}

/** The Host values a request arriving on `port` may carry (exact, lowercase). */
export function allowedHosts(port: number): string[] {
  return LOOPBACK_HOSTS.map(h => `${h}:${port}`)
}

function scheme(req: IncomingMessage): 'http' | 'https' {
  return (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'
}

/** Loopback connection and a Host from the allow-list: required of every request. */
export function checkHost(req: IncomingMessage): Verdict {
  if (!isLoopbackAddress(req.socket.localAddress) || !isLoopbackAddress(req.socket.remoteAddress))
    return { ok: false, status: 403, reason: `connection not on loopback (${req.socket.remoteAddress} → ${req.socket.localAddress})` }
  const host = req.headers.host?.toLowerCase()
  if (!host)
    return { ok: false, status: 403, reason: 'no Host header' }
  if (!allowedHosts(req.socket.localPort ?? 0).includes(host))
    return { ok: false, status: 403, reason: `Host "${host}" not allowed` }
  return { ok: true }
}

/**
 * Origin must be exactly the deck's own: same scheme, the same host the request was sent to,
 * the same port. No prefix or pattern matching; missing or "null" is refused.
 */
export function checkOrigin(req: IncomingMessage): Verdict {
  const origin = req.headers.origin
  if (origin === undefined || origin === '' || origin === 'null')
    return { ok: false, status: 403, reason: `Origin ${origin === undefined ? 'missing' : `"${origin}"`}` }
  const expected = `${scheme(req)}://${req.headers.host?.toLowerCase()}`
  if (origin !== expected)
    return { ok: false, status: 403, reason: `Origin "${origin}" is not the deck's origin ${expected}` }
  return { ok: true }
}

/** For the WebSocket upgrade: all of the above. */
export function checkUpgrade(req: IncomingMessage): Verdict {
  const host = checkHost(req)
  return host.ok ? checkOrigin(req) : host
}

/**
 * For the token request (a same-origin fetch, which browsers send without Origin): Host as
 * always; a cross-site page is refused by Sec-Fetch-Site or Origin when the browser sends them.
 */
export function checkTokenRequest(req: IncomingMessage): Verdict {
  const host = checkHost(req)
  if (!host.ok)
    return host
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin')
    return { ok: false, status: 403, reason: `Sec-Fetch-Site "${site}"` }
  return req.headers.origin === undefined ? { ok: true } : checkOrigin(req)
}

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

export function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** A token as it may appear in logs: enough to tell two apart, never enough to use. */
export function redact(token: string): string {
  return token.length <= 4 ? '…' : `${token.slice(0, 4)}…`
}
