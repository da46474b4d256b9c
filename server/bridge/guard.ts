/**
 * Who may talk to the deck's server. Each check alone is known to fail (DNS rebinding defeats
 * Origin checks, a leaked URL defeats Host checks, a page on another local port defeats both),
 * so a request that can change anything must pass all of them, and every refusal says why.
 * The bridge (`bridge.ts`) and the dev-server guard (`http-guard.ts`) both use these rules.
 */
import type { IncomingMessage } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'

export type Verdict = { ok: true } | { ok: false, status: number, reason: string }

const OK: Verdict = { ok: true }
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]']

export function isLoopbackAddress(addr: string | undefined): boolean {
  if (!addr)
    return false
  return addr === '::1' || /^(?:::ffff:)?127\.\d+\.\d+\.\d+$/.test(addr)
}

/**
 * The Host values a request may carry (exact, lowercase): the loopback names on its port, and,
 * when it arrived on another address (`--remote`), that address as an IP literal. Never a name
 * that DNS resolves, so a rebinding page cannot make its own host name acceptable.
 */
export function allowedHosts(localPort: number, localAddress?: string): string[] {
  const hosts = LOOPBACK_HOSTS.map(h => `${h}:${localPort}`)
  if (localAddress && !isLoopbackAddress(localAddress) && isIP(localAddress)) {
    const addr = localAddress.replace(/^::ffff:/, '')
    hosts.push(isIP(addr) === 6 ? `[${addr}]:${localPort}` : `${addr}:${localPort}`)
  }
  return hosts
}

function scheme(req: IncomingMessage): 'http' | 'https' {
  return (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'
}

/** Both ends of the connection on loopback: the peer is this machine. */
export function checkLoopback(req: IncomingMessage): Verdict {
  if (isLoopbackAddress(req.socket.localAddress) && isLoopbackAddress(req.socket.remoteAddress))
    return OK
  return { ok: false, status: 403, reason: `connection not on loopback (${req.socket.remoteAddress} → ${req.socket.localAddress})` }
}

/** A Host from the allow-list for the address and port the request arrived on (DNS rebinding). */
export function checkHostHeader(req: IncomingMessage): Verdict {
  const host = req.headers.host?.toLowerCase()
  if (!host)
    return { ok: false, status: 403, reason: 'no Host header' }
  if (!allowedHosts(req.socket.localPort ?? 0, req.socket.localAddress).includes(host))
    return { ok: false, status: 403, reason: `Host "${host}" not allowed` }
  return OK
}

/** Loopback connection and a Host from the allow-list: what the bridge requires of every request. */
export function checkHost(req: IncomingMessage): Verdict {
  return first(checkLoopback(req), () => checkHostHeader(req))
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
  return OK
}

/** The browser's own account of who sent the request, when it gives one: same-origin only. */
export function checkFetchSite(req: IncomingMessage): Verdict {
  const site = req.headers['sec-fetch-site']
  if (site === undefined || site === 'same-origin')
    return OK
  return { ok: false, status: 403, reason: `Sec-Fetch-Site "${site}"` }
}

/** Where a response may be embedded: nowhere but in the deck's own pages. */
const EMBEDDING_DESTS = ['iframe', 'frame', 'object', 'embed', 'fencedframe']

/**
 * What a foreign page may load from the deck: nothing. A frame or a module would let it drive the
 * deck or make Vite work for it (discover a dependency and reload every window, grow the module
 * graph with each new query string); even a plain link or popup would: every deck window on
 * localhost writes its slide to the shared position, so `window.open('/7')` would move the
 * projector. The presenter opens the deck by its address (typed, bookmarked, printed by the
 * server: `Sec-Fetch-Site: none`) and the deck loads itself (`same-origin`). The browser says who
 * asks in `Sec-Fetch-*`; `same-site` is another port of localhost, as foreign as any site.
 */
export function checkFetchMetadata(req: IncomingMessage): Verdict {
  const site = req.headers['sec-fetch-site']
  if (site === undefined || site === 'same-origin' || site === 'none')
    return OK
  const dest = String(req.headers['sec-fetch-dest'] ?? 'subresource')
  const what = EMBEDDING_DESTS.includes(dest)
    ? `framing the deck (${dest})`
    : dest === 'document' ? 'a link or popup to the deck' : `loading a file of the deck (${dest})`
  return { ok: false, status: 403, reason: `${what} from another site (Sec-Fetch-Site "${site}"): only the deck loads the deck; open it by its address` }
}

/**
 * A request that can change anything (a write, a WebSocket upgrade): loopback, Host allowed,
 * Origin exactly the deck's, and Sec-Fetch-Site same-origin or absent.
 */
export function checkWrite(req: IncomingMessage): Verdict {
  return first(checkHost(req), () => checkOrigin(req), () => checkFetchSite(req))
}

/** For the WebSocket upgrade: the same as any request that can change something. */
export const checkUpgrade = checkWrite

/**
 * For the token request (a same-origin fetch, which browsers send without Origin): like a write,
 * except that Origin is checked only when the browser sends one.
 */
export function checkTokenRequest(req: IncomingMessage): Verdict {
  return first(checkHost(req), () => checkFetchSite(req), () => req.headers.origin === undefined ? OK : checkOrigin(req))
}

function first(v: Verdict, ...rest: (() => Verdict)[]): Verdict {
  for (const next of rest) {
    if (!v.ok)
      return v
    v = next()
  }
  return v
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
