import type { IncomingMessage } from 'node:http'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { TOKEN_PATH } from '../../common/protocol.ts'
import { checkRequest } from '../../server/bridge/http-guard.ts'

const PORT = 3030
const LAN = '192.0.2.10'

function req(method: string, url: string, headers: Record<string, string>, local = '127.0.0.1', remote = '127.0.0.1'): IncomingMessage {
  return { method, url, headers, socket: { localAddress: local, remoteAddress: remote, localPort: PORT } } as unknown as IncomingMessage
}
const own = { 'host': `localhost:${PORT}`, 'origin': `http://localhost:${PORT}`, 'sec-fetch-site': 'same-origin' }
const phone = { host: `${LAN}:${PORT}`, origin: `http://${LAN}:${PORT}` }
const ROOT = '/work/deck'
const check = (r: IncomingMessage, terminalsOff?: string) => checkRequest(r, { root: ROOT, terminalsOff })
const fromPhone = (method: string, url: string) => check(req(method, url, phone, LAN, '192.0.2.20'))

describe('the dev-server guard', () => {
  it('lets the deck\'s own page write, and any page read', () => {
    expect(check(req('POST', '/__slidev/slides/1.json', own)).ok).toBe(true)
    expect(check(req('GET', '/slides.md?import', { host: own.host })).ok).toBe(true)
  })

  it('treats every method but GET and HEAD as a write', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
      expect(check(req(method, '/anything', { host: own.host })).ok, method).toBe(false)
    expect(check(req('HEAD', '/anything', { host: own.host })).ok).toBe(true)
  })

  it('refuses /__mcp to everyone, with or without a trailing slash or query', () => {
    for (const url of ['/__mcp', '/__mcp/', '/__mcp?x=1'])
      expect(check(req('POST', url, own)), url).toMatchObject({ ok: false, status: 403 })
  })

  it('says why the token endpoint is off when terminals are', () => {
    expect(check(req('GET', TOKEN_PATH, own), 'live terminals are off (--remote)')).toEqual({ ok: false, status: 503, reason: 'live terminals are off (--remote)' })
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
    expect(check(req('GET', '/', { host: `deck.example:${PORT}` }, LAN, '192.0.2.20')).ok).toBe(false)
    expect(check(req('GET', '/', { host: `192.0.2.99:${PORT}` }, LAN, '192.0.2.20')).ok).toBe(false)
  })
})

describe('the doors a browser offers', () => {
  const cross = (dest: string, mode = 'no-cors', site = 'cross-site') => ({ 'host': own.host, 'sec-fetch-site': site, 'sec-fetch-mode': mode, 'sec-fetch-dest': dest })

  it('lets a foreign page load nothing of the deck: no frame, popup, link, module, source file or image', () => {
    expect(check(req('GET', '/7', cross('document', 'navigate')))).toMatchObject({ ok: false, status: 403, reason: expect.stringMatching(/a link or popup/) })
    for (const dest of ['iframe', 'frame', 'object', 'embed'])
      expect(check(req('GET', '/presenter/1', cross(dest, 'navigate'))), dest).toMatchObject({ ok: false, status: 403, reason: expect.stringMatching(`framing the deck \\(${dest}\\)`) })
    for (const [dest, url] of [['image', '/server/bridge/bridge.ts'], ['script', '/node_modules/@xterm/xterm/lib/xterm.mjs?import&q=1'], ['style', '/styles/index.css'], ['empty', '/@vite/client']])
      expect(check(req('GET', url!, cross(dest!))), url).toMatchObject({ ok: false, status: 403 })
  })

  it('treats another port of localhost (same-site) as foreign, and the deck\'s own loads as its own', () => {
    expect(check(req('GET', '/@vite/client', cross('script', 'cors', 'same-site'))).ok).toBe(false)
    expect(check(req('GET', '/@vite/client', cross('script', 'cors', 'same-origin'))).ok).toBe(true)
    expect(check(req('GET', '/1', cross('document', 'navigate', 'none'))).ok).toBe(true)
  })

  it('never serves the server, tests, bench or CI folders, by URL or by absolute path, in any spelling', () => {
    for (const url of ['/server/bridge/bridge.ts', '/Server/bridge.ts?import', '/tests/helpers/security.ts', '/bench/run.ts', '/.ci/run', `/@fs${ROOT}/server/bridge/guard.ts`, '/x/..//server/bridge/guard.ts', '/vite.config.ts'])
      expect(check(req('GET', url, own)), url).toMatchObject({ ok: false, status: 404 })
    expect(check(req('GET', '/client/connection.ts', own)).ok).toBe(true)
    expect(check(req('GET', '/servers.md', own)).ok).toBe(true)
  })

  it('keeps open-in-editor off unless the presenter turns it on, and then only for the deck\'s own page', () => {
    expect(check(req('GET', '/__open-in-editor?file=slides.md', own))).toMatchObject({ ok: false, reason: expect.stringMatching(/OPEN_IN_EDITOR=1/) })
    const on = (headers: Record<string, string>) => checkRequest(req('GET', '/__OPEN-IN-EDITOR/?file=x', headers), { root: ROOT, openInEditor: true })
    expect(on(own).ok).toBe(true)
    expect(on({ ...own, 'origin': 'https://evil.example', 'sec-fetch-site': 'cross-site' }).ok).toBe(false)
  })

  it('refuses a target it cannot normalize', () => {
    expect(check(req('GET', '/a%zz', own))).toMatchObject({ ok: false, status: 400 })
  })
})

describe('the deck', () => {
  it('turns Slidev\'s MCP server off in its headmatter', () => {
    const headmatter = parse(readFileSync(new URL('../../slides.md', import.meta.url), 'utf8').split(/^---$/m)[1]!) as { mcp?: boolean }
    expect(headmatter.mcp).toBe(false)
  })
})
