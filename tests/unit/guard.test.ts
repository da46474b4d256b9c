import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { checkTokenRequest, checkUpgrade, newToken, redact, tokenMatches } from '../../server/bridge/guard.ts'

const PORT = 3030

/** A request as node's http server hands it to us: headers plus the socket's addresses. */
function req(headers: Record<string, string>, local = '127.0.0.1', remote = '127.0.0.1'): IncomingMessage {
  return { headers, socket: { localAddress: local, remoteAddress: remote, localPort: PORT } } as unknown as IncomingMessage
}

const good = { host: `localhost:${PORT}`, origin: `http://localhost:${PORT}` }

describe('upgrade checks', () => {
  it('accepts the deck\'s own origin on each loopback host name', () => {
    expect(checkUpgrade(req(good)).ok).toBe(true)
    expect(checkUpgrade(req({ host: `127.0.0.1:${PORT}`, origin: `http://127.0.0.1:${PORT}` })).ok).toBe(true)
    expect(checkUpgrade(req({ host: `[::1]:${PORT}`, origin: `http://[::1]:${PORT}` }, '::1', '::1')).ok).toBe(true)
  })

  it.each([
    ['a foreign origin', { ...good, origin: 'https://evil.example' }],
    ['an origin that only starts right', { ...good, origin: `http://localhost:${PORT}.evil.example` }],
    ['another port', { ...good, origin: `http://localhost:${PORT + 1}` }],
    ['https instead of http', { ...good, origin: `https://localhost:${PORT}` }],
    ['127.0.0.1 when the deck was opened as localhost', { ...good, origin: `http://127.0.0.1:${PORT}` }],
    ['a trailing slash', { ...good, origin: `http://localhost:${PORT}/` }],
    ['upper case', { ...good, origin: `http://LOCALHOST:${PORT}` }],
    ['Origin null', { ...good, origin: 'null' }],
    ['no Origin', { host: good.host }],
    ['DNS rebinding (foreign Host, matching Origin)', { host: `attacker.example:${PORT}`, origin: `http://attacker.example:${PORT}` }],
    ['a Host on another port', { host: `localhost:${PORT + 1}`, origin: `http://localhost:${PORT + 1}` }],
    ['no Host', { origin: good.origin }],
  ])('refuses %s', (_what, headers) => {
    const v = checkUpgrade(req(headers as Record<string, string>))
    expect(v.ok).toBe(false)
    if (!v.ok) {
      expect(v.status).toBe(403)
      expect(v.reason.length).toBeGreaterThan(5)
    }
  })

  it('refuses a connection that did not arrive on loopback', () => {
    expect(checkUpgrade(req(good, '192.0.2.10', '192.0.2.20')).ok).toBe(false)
    expect(checkUpgrade(req(good, '127.0.0.1', '192.0.2.20')).ok).toBe(false)
  })
})

describe('token request checks', () => {
  it('allows a same-origin fetch (no Origin header)', () => {
    expect(checkTokenRequest(req({ 'host': good.host, 'sec-fetch-site': 'same-origin' })).ok).toBe(true)
  })
  it('refuses cross-site fetches and rebinding', () => {
    expect(checkTokenRequest(req({ 'host': good.host, 'sec-fetch-site': 'cross-site' })).ok).toBe(false)
    expect(checkTokenRequest(req({ host: good.host, origin: 'https://evil.example' })).ok).toBe(false)
    expect(checkTokenRequest(req({ host: `attacker.example:${PORT}` })).ok).toBe(false)
  })
})

describe('tokens', () => {
  it('are random, long, compared exactly and redacted in logs', () => {
    const a = newToken()
    const b = newToken()
    expect(a).not.toBe(b)
    expect(a.length).toBeGreaterThanOrEqual(40)
    expect(tokenMatches(a, a)).toBe(true)
    expect(tokenMatches(a, b)).toBe(false)
    expect(tokenMatches(a.slice(0, -1), a)).toBe(false)
    expect(tokenMatches('', a)).toBe(false)
    expect(redact(a)).not.toContain(a.slice(4))
  })
})
