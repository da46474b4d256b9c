import type { IncomingMessage } from 'node:http'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { TOKEN_PATH } from '../../common/protocol.ts'
import { checkRequest } from '../../server/http-guard.ts'

const PORT = 3030
const LAN = '192.0.2.10'

function req(method: string, url: string, headers: Record<string, string>, local = '127.0.0.1', remote = '127.0.0.1'): IncomingMessage {
  return { method, url, headers, socket: { localAddress: local, remoteAddress: remote, localPort: PORT } } as unknown as IncomingMessage
}
const own = { 'host': `localhost:${PORT}`, 'origin': `http://localhost:${PORT}`, 'sec-fetch-site': 'same-origin' }
const phone = { host: `${LAN}:${PORT}`, origin: `http://${LAN}:${PORT}` }
const fromPhone = (method: string, url: string) => checkRequest(req(method, url, phone, LAN, '192.0.2.20'))

describe('the dev-server guard', () => {
  it('lets the deck\'s own page write, and any page read', () => {
    expect(checkRequest(req('POST', '/__slidev/slides/1.json', own)).ok).toBe(true)
    expect(checkRequest(req('GET', '/slides.md?import', { host: own.host })).ok).toBe(true)
  })

  it('treats every method but GET and HEAD as a write', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
      expect(checkRequest(req(method, '/anything', { host: own.host })).ok, method).toBe(false)
    expect(checkRequest(req('HEAD', '/anything', { host: own.host })).ok).toBe(true)
  })

  it('refuses /__mcp to everyone, with or without a trailing slash or query', () => {
    for (const url of ['/__mcp', '/__mcp/', '/__mcp?x=1'])
      expect(checkRequest(req('POST', url, own)), url).toMatchObject({ ok: false, status: 403 })
  })

  it('says why the token endpoint is off when terminals are', () => {
    expect(checkRequest(req('GET', TOKEN_PATH, own), 'live terminals are off (--remote)')).toEqual({ ok: false, status: 503, reason: 'live terminals are off (--remote)' })
  })

  it('lets a viewer on the network read the deck and the packages it loads, nothing else', () => {
    expect(fromPhone('GET', '/').ok).toBe(true)
    expect(fromPhone('GET', '/demos/shell/recording.cast?raw&import').ok).toBe(true)
    expect(fromPhone('GET', '/@fs/work/deck/node_modules/@slidev/client/main.ts').ok).toBe(true)
    expect(fromPhone('GET', '/@fs/work/deck/slides.md?raw').ok).toBe(false)
    expect(fromPhone('GET', '/@fs/etc/hostname').ok).toBe(false)
    expect(fromPhone('GET', TOKEN_PATH).ok).toBe(false)
    expect(fromPhone('POST', '/__slidev/slides/1.json')).toMatchObject({ ok: false, reason: expect.stringMatching(/not on loopback/) })
  })

  it('accepts a viewer\'s Host only as the IP literal it connected to', () => {
    expect(checkRequest(req('GET', '/', { host: `deck.example:${PORT}` }, LAN, '192.0.2.20')).ok).toBe(false)
    expect(checkRequest(req('GET', '/', { host: `192.0.2.99:${PORT}` }, LAN, '192.0.2.20')).ok).toBe(false)
  })
})

describe('the deck', () => {
  it('turns Slidev\'s MCP server off in its headmatter', () => {
    const headmatter = parse(readFileSync(new URL('../../slides.md', import.meta.url), 'utf8').split(/^---$/m)[1]!) as { mcp?: boolean }
    expect(headmatter.mcp).toBe(false)
  })
})
