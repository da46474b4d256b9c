/**
 * The whole dev server, not only the bridge: a real `slidev` with the deck's vite.config.ts.
 * Every endpoint that writes (Slidev's slide save, vite-plugin-vue-server-ref's shared state,
 * which persists snapshots, the MCP server, Vite's open-in-editor) and every WebSocket must
 * refuse a request that does not come from the deck's own page over loopback, leave the deck's
 * files byte-identical, and log one line saying why. The deck's own page still saves its notes.
 */
import type { DeckServer } from '../../helpers/deck-server.ts'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BRIDGE_PATH, TOKEN_PATH } from '../../../common/protocol.ts'
import { startDeck } from '../../helpers/deck-server.ts'
import { send } from '../../../dev/http.ts'
import type { Probe } from '../../../dev/http.ts'

let deck: DeckServer
let before: Record<string, string>

beforeAll(async () => {
  deck = await startDeck()
  before = deck.files()
})
afterAll(async () => {
  await deck?.close()
})

const own = () => ({ 'Host': `localhost:${deck.port}`, 'Origin': deck.origin, 'Sec-Fetch-Site': 'same-origin' })
const post = (path: string, body: unknown): Probe => ({ method: 'POST', path, body: JSON.stringify(body), headers: { 'Content-Type': 'text/plain' } })

/** Every request that writes, as an attacker would send it (the right headers are added per case). */
const WRITES: [string, () => Probe][] = [
  ['a slide note (Slidev\'s editor save)', () => post('/__slidev/slides/2.json', { note: 'pwned <img src=x onerror=alert(1)>' })],
  ['a slide\'s content', () => post('/__slidev/slides/1.json', { content: '# pwned' })],
  ['the shared nav state (server-ref)', () => post('/@server-ref/nav', { data: { page: 3, clicks: 0 } })],
  ['the snapshots, which Slidev writes to disk (server-reactive)', () => post('/@server-reactive/snapshots', { data: { 1: { revision: 'x', image: 'data:,' } } })],
  ['an MCP tool call', () => ({ ...post('/__mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list' }), headers: { 'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream' } })],
  ['open-in-editor (a GET that starts a program)', () => ({ method: 'GET', path: '/__open-in-editor?file=slides.md' })],
]

/** Who sends it: every one of these is someone other than the deck's own page over loopback. */
const SENDERS: [string, () => Record<string, string>][] = [
  ['a foreign site', () => ({ 'Host': `localhost:${deck.port}`, 'Origin': 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })],
  ['a page on another local port', () => ({ 'Host': `localhost:${deck.port}`, 'Origin': `http://localhost:${deck.port + 1}`, 'Sec-Fetch-Site': 'same-site' })],
  ['a file:// page (Origin null)', () => ({ 'Host': `localhost:${deck.port}`, 'Origin': 'null', 'Sec-Fetch-Site': 'cross-site' })],
  ['no Origin at all', () => ({ Host: `localhost:${deck.port}` })],
  ['the right Origin but Sec-Fetch-Site cross-site', () => ({ ...own(), 'Sec-Fetch-Site': 'cross-site' })],
  ['DNS rebinding (foreign Host, matching Origin)', () => ({ Host: `attacker.example:${deck.port}`, Origin: `http://attacker.example:${deck.port}` })],
]

describe('writes from anyone but the deck\'s own page', () => {
  for (const [what, probe] of WRITES) {
    it.each(SENDERS)(`refuses ${what} from %s with 403, a logged reason, and no file changed`, async (_who, headers) => {
      const p = probe()
      const logFrom = deck.log().length
      const r = await send('127.0.0.1', deck.port, { ...p, headers: { ...p.headers, ...headers() } })
      expect(r.status).toBe(403)
      expect(r.body).not.toMatch(/pwned|tools/)
      const line = new RegExp(`refused ${p.method} ${p.path.split('?')[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .*: .+`)
      expect(await deck.logged(line, logFrom)).toMatch(line)
      expect(deck.files()).toEqual(before)
    })
  }

  it('refuses /__mcp even from the deck\'s own page, although this deck\'s headmatter turns it on', async () => {
    const p = WRITES.find(([w]) => w.startsWith('an MCP'))![1]()
    const r = await send('127.0.0.1', deck.port, { ...p, headers: { ...p.headers, ...own() } })
    expect(r.status).toBe(403)
    expect(r.body).toMatch(/MCP/)
    expect((await send('127.0.0.1', deck.port, { method: 'GET', path: '/__mcp/', headers: own() })).status).toBe(403)
  })

  it('answers before Vite\'s own middlewares: a rebinding Host gets the guard\'s reason, not Vite\'s "Blocked request"', async () => {
    const r = await send('127.0.0.1', deck.port, { method: 'GET', path: '/', headers: { Host: `attacker.example:${deck.port}` } })
    expect(r.status).toBe(403)
    expect(r.body).toBe(`Host "attacker.example:${deck.port}" not allowed`)
  })

  it('sends no CORS headers to another local port (Vite\'s default would let it read /@vite/client and its HMR token)', async () => {
    const r = await send('127.0.0.1', deck.port, { method: 'GET', path: '/@vite/client', headers: { Host: `localhost:${deck.port}`, Origin: `http://localhost:${deck.port + 1}` } })
    expect(r.status).toBe(200)
    expect(r.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('the shell and the HMR socket from anyone but the deck\'s own page', () => {
  const hmrToken = async () => {
    const client = await send('127.0.0.1', deck.port, { method: 'GET', path: '/@vite/client', headers: own() })
    return client.body.match(/wsToken = "([^"]+)"|__HMR_TOKEN__|token=([\w-]+)/)?.slice(1).find(Boolean)
  }

  it('refuses Vite\'s HMR socket to a foreign origin even with a valid HMR token', async () => {
    const token = await hmrToken()
    expect(token).toBeTruthy()
    const ok = await send('127.0.0.1', deck.port, { method: 'WS', path: `/?token=${token}`, protocol: 'vite-hmr', headers: own() })
    expect(ok.status, 'control: the deck\'s own page gets its HMR socket').toBe(101)
    for (const origin of ['https://evil.example', `http://localhost:${deck.port + 1}`, 'null']) {
      const r = await send('127.0.0.1', deck.port, { method: 'WS', path: `/?token=${token}`, protocol: 'vite-hmr', headers: { Host: `localhost:${deck.port}`, Origin: origin } })
      expect(r.status, origin).toBe(403)
    }
  })

  it('refuses the token and the bridge to a foreign page, and starts no shell', async () => {
    const token = await send('127.0.0.1', deck.port, { method: 'GET', path: TOKEN_PATH, headers: { 'Host': `localhost:${deck.port}`, 'Origin': 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' } })
    expect(token.status).toBe(403)
    expect(token.body).not.toMatch(/token/)
    const ws = await send('127.0.0.1', deck.port, { method: 'WS', path: BRIDGE_PATH, headers: { Host: `localhost:${deck.port}`, Origin: 'https://evil.example' } })
    expect(ws.status).toBe(403)
    expect(deck.log()).not.toMatch(/session .* started/)
  })

  it('refuses a WebSocket on any other path to a foreign page', async () => {
    const r = await send('127.0.0.1', deck.port, { method: 'WS', path: '/some/other/socket', headers: { Host: `localhost:${deck.port}`, Origin: 'https://evil.example' } })
    expect(r.status).toBe(403)
  })
})

describe('the deck\'s own page', () => {
  it('control: saves a slide\'s note (the editor and notes features keep working)', async () => {
    const r = await send('127.0.0.1', deck.port, { ...post('/__slidev/slides/3.json', { note: 'saved from the deck' }), headers: { ...own(), 'Content-Type': 'application/json' } })
    expect(r.status).toBe(200)
    expect(readFileSync(path.join(deck.dir, 'slides.md'), 'utf8')).toContain('saved from the deck')
  })
})
