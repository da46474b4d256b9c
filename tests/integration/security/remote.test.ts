/**
 * `--remote`: the deck listens beyond loopback, so another machine on the network (here: a
 * private network namespace on a veth link) can load it. It may read the slides; it must not
 * write anything, reach MCP, read files by absolute path, get the token or open the bridge or
 * the HMR socket. And with the deck reachable by others, live terminals are off for everyone.
 */
import type { DeckServer } from '../../helpers/deck-server.ts'
import type { Peer } from '../../helpers/netns.ts'
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { BRIDGE_PATH, TOKEN_PATH } from '../../../common/protocol.ts'
import { CHROMIUM } from '../../../playwright.config.ts'
import { startDeck } from '../../helpers/deck-server.ts'
import { createPeer, peerUnavailable } from '../../helpers/netns.ts'
import { spellings } from '../../helpers/path-spellings.ts'
import { send } from '../../../dev/http.ts'
import type { Probe } from '../../../dev/http.ts'

// Each probe from the other machine starts node in the namespace: seconds on a busy machine.
vi.setConfig({ testTimeout: 90_000 })

const unavailable = peerUnavailable()
let peer: Peer
let deck: DeckServer
let before: Record<string, string>
/** Vite's open-in-editor, if anything reached it, would run this recorder. */
const tmp = mkdtempSync(path.join(os.tmpdir(), 'remote-editor-'))
const editor = path.join(tmp, 'editor.sh')
const editorCalls = path.join(tmp, 'calls')

beforeAll(async () => {
  if (unavailable)
    return
  peer = createPeer()
  writeFileSync(editor, `#!/bin/sh\necho "$@" >> ${JSON.stringify(editorCalls)}\n`)
  chmodSync(editor, 0o755)
  deck = await startDeck({ args: ['--remote', '--bind', peer.hostAddress], address: peer.hostAddress, demo: 'shell', env: { LAUNCH_EDITOR: editor } })
  before = deck.files()
}, 120_000)
afterAll(async () => {
  await deck?.close()
  peer?.remove()
  rmSync(tmp, { recursive: true, force: true })
})

describe.skipIf(unavailable)(`another machine on the network (${unavailable ?? 'network namespace'})`, () => {
  /** The phone's own view of the deck: Host and Origin are the address it was given. */
  const asPeer = () => ({ Host: `${peer.hostAddress}:${deck.port}`, Origin: `http://${peer.hostAddress}:${deck.port}` })
  const fromPeer = (probes: Probe[]) => peer.probe(peer.hostAddress, deck.port, probes)

  it('control: loads the deck (a read-only remote view)', async () => {
    const [page] = await fromPeer([{ method: 'GET', path: '/', headers: { Host: `${peer.hostAddress}:${deck.port}` } }])
    expect(page!.status).toBe(200)
    expect(page!.body).toContain('<div id="app">')
  })

  it('cannot write a slide, the shared state or the snapshots, and no file changes', async () => {
    const json = (path: string, body: unknown): Probe => ({ method: 'POST', path, body: JSON.stringify(body), headers: { ...asPeer(), 'Content-Type': 'application/json' } })
    const results = await fromPeer([
      json('/__slidev/slides/2.json', { note: 'pwned from the LAN' }),
      json('/@server-ref/nav', { data: { page: 3, clicks: 0 } }),
      json('/@server-reactive/snapshots', { data: { 1: { revision: 'x', image: 'data:,' } } }),
    ])
    expect(results.map(r => r.status)).toEqual([403, 403, 403])
    expect(await deck.logged(/connection not on loopback/)).toMatch(new RegExp(`refused POST /__slidev/slides/2\\.json from (::ffff:)?${peer.peerAddress.replaceAll('.', '\\.')}`))
    expect(deck.files()).toEqual(before)
  })

  it('cannot reach Slidev\'s MCP server', async () => {
    const [r] = await fromPeer([{ method: 'POST', path: '/__mcp', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), headers: { ...asPeer(), 'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream' } }])
    expect(r!.status).toBe(403)
    expect(r!.body).not.toMatch(/slidev-/)
  })

  it('cannot read files by absolute path (/@fs)', async () => {
    const [raw, plain] = await fromPeer([
      { method: 'GET', path: `/@fs${deck.dir}/slides.md?raw`, headers: asPeer() },
      { method: 'GET', path: `/@fs${deck.dir}/vite.config.ts`, headers: asPeer() },
    ])
    expect([raw!.status, plain!.status]).toEqual([403, 404]) // vite.config.ts is never served at all
    expect(raw!.body).not.toContain('guard test deck')
  })

  it('cannot open the editor (on /etc/shadow) in any spelling, and each refusal is logged', async () => {
    const targets = spellings('/__open-in-editor', deck.port, '?file=/etc/shadow')
    const results = await fromPeer(targets.map(t => ({ method: 'GET', path: t, headers: { Host: `${peer.hostAddress}:${deck.port}` } })))
    expect(results.map(r => r.status)).toEqual(targets.map(() => 403))
    const log = await deck.logged(/refused GET \S*open-in-editor/i, 0, targets.length)
    for (const target of targets)
      expect(log, target).toContain(`refused GET ${target.split('?')[0]} from`)
    expect(existsSync(editorCalls), 'the editor was never started').toBe(false)
  })

  it('gets no token, no terminal and no HMR socket', async () => {
    const client = await send(peer.hostAddress, deck.port, { method: 'GET', path: '/@vite/client', headers: asPeer() })
    const hmrToken = client.body.match(/wsToken = "([^"]+)"/)?.[1]
    expect(hmrToken).toBeTruthy()
    const [token, bridge, hmr] = await fromPeer([
      { method: 'GET', path: TOKEN_PATH, headers: { ...asPeer(), 'Sec-Fetch-Site': 'same-origin' } },
      { method: 'WS', path: BRIDGE_PATH, headers: asPeer() },
      { method: 'WS', path: `/?token=${hmrToken}`, protocol: 'vite-hmr', headers: asPeer() },
    ])
    expect(token!.status).toBeGreaterThanOrEqual(400)
    expect(token!.body).not.toMatch(/"token"/)
    expect([bridge!.status, hmr!.status]).toEqual([403, 403])
    expect(deck.log()).not.toMatch(/session .* started/)
  })
})

describe.skipIf(unavailable)('the presenter, while the deck listens beyond loopback', () => {
  it('is told at start that live terminals are off, and why', async () => {
    expect(await deck.logged(/live terminals are off while the deck listens on/)).toMatch(new RegExp(`listens on ${peer.hostAddress.replaceAll('.', '\\.')} \\(--remote`))
  })

  it('gets the reason from the token endpoint (the slides then show recordings), and no terminal', async () => {
    // This machine's own page, opened at the address the deck listens on.
    const own = { 'Host': `${peer.hostAddress}:${deck.port}`, 'Origin': `http://${peer.hostAddress}:${deck.port}`, 'Sec-Fetch-Site': 'same-origin' }
    const token = await send(peer.hostAddress, deck.port, { method: 'GET', path: TOKEN_PATH, headers: own })
    expect(token.status).toBe(503)
    expect(token.body).toMatch(/live terminals are off .*--remote/)
    const bridge = await send(peer.hostAddress, deck.port, { method: 'WS', path: BRIDGE_PATH, headers: own })
    expect(bridge.status).toBeGreaterThanOrEqual(400)
    expect(deck.log()).not.toMatch(/session .* started/)
  })
  it('sees the demo slide play its recording (why live is off is for the presenter and the server log)', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM })
    try {
      const page = await browser.newPage()
      await page.goto(`http://${peer.hostAddress}:${deck.port}/4`)
      const terminal = page.locator('.live-terminal[data-demo="shell"]')
      await terminal.and(page.locator('[data-status="recording"]')).waitFor({ timeout: 60_000 })
      await expect.poll(() => terminal.textContent(), { timeout: 15_000 }).toContain('녹화')
      expect(await terminal.textContent()).not.toContain('라이브 터미널 없음') // the audience's view names no missing part
    }
    finally {
      await browser.close()
    }
    expect(deck.log()).toMatch(/refused GET \/__live-terminal\/token .*live terminals are off/)
  }, 120_000)
})
