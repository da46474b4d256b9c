/**
 * `--follow` on the real deck (a real `slidev` with the project's plugin, on a throwaway deck):
 * the deck stays on loopback, the follow listener binds the address given (one end of a veth
 * link), the server prints the URL, the presenter view shows it with its QR code, and a phone
 * (Chromium started inside the network namespace, 390×844) follows the presenter's next and
 * previous, as Slidev's shared position carries them.
 */
import type { Browser } from 'playwright-core'
import type { DeckServer } from '../helpers/deck-server.ts'
import type { Peer } from '../helpers/netns.ts'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CHROMIUM } from '../../playwright.config.ts'
import { freePort } from '../../dev/ports.ts'
import { startDeck } from '../helpers/deck-server.ts'
import { createPeer, peerUnavailable } from '../helpers/netns.ts'
import { launchOnPeer } from '../helpers/peer-browser.ts'

vi.setConfig({ testTimeout: 180_000 }) // the presenter view compiles cold on a busy machine

const unavailable = peerUnavailable()
let peer: Peer
let deck: DeckServer
let url: string
let here: Browser
let phone: Browser

beforeAll(async () => {
  if (unavailable)
    return
  peer = createPeer()
  deck = await startDeck({ demo: 'shell', copy: ['global-top.vue'], env: { LT_FOLLOW: '1', LT_FOLLOW_BIND: peer.hostAddress, LT_FOLLOW_PORT: '0' } })
  const printed = await deck.logged(/follow along[\s\S]*?http:\/\/\S+\/follow\/[0-9a-f]{16}/)
  url = printed.match(/http:\/\/\S+\/follow\/[0-9a-f]{16}/)![0]
  here = await chromium.launch({ executablePath: CHROMIUM })
  phone = await launchOnPeer(peer)
}, 180_000)
afterAll(async () => {
  await phone?.close()
  await here?.close()
  await deck?.close()
  peer?.remove()
})

describe.skipIf(unavailable)(`npm start -- --follow --bind <address> (${unavailable ?? 'network namespace'})`, () => {
  it('prints the follow URL on the bound address; the deck itself is not reachable from the network', async () => {
    expect(url).toMatch(new RegExp(`^http://${peer.hostAddress.replaceAll('.', '\\.')}:\\d+/follow/[0-9a-f]{16}$`))
    const [deckFromPeer] = await peer.probe(peer.hostAddress, deck.port, [{ method: 'GET', path: '/' }])
    expect(deckFromPeer!.status).toBe(-1) // connection refused: the deck listens on loopback only
  })

  it('the presenter view shows the URL and its QR code; a phone on the network follows next and previous', async () => {
    const presenter = await here.newPage()
    await presenter.goto(`${deck.origin}/presenter/1`)
    await presenter.locator('.follow-qr svg').waitFor({ timeout: 120_000 })
    expect(await presenter.locator('.follow-qr .url').allTextContents()).toEqual([url])

    const page = await phone.newPage({ viewport: { width: 390, height: 844 }, isMobile: true })
    await page.goto(url)
    const slide = page.locator('#slide')
    const at = async () => `${await slide.getAttribute('data-page')} ${(await slide.textContent())?.replace(/\s+/g, ' ').trim()}`
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toBe('라이브')
    await expect.poll(at).toMatch(/^1 .*one$/)
    await presenter.locator('body').press('ArrowRight')
    await expect.poll(at, { timeout: 10_000 }).toBe('2 two')
    await presenter.locator('body').press('ArrowRight')
    await expect.poll(at, { timeout: 10_000 }).toBe('3 three')
    await presenter.locator('body').press('ArrowLeft')
    await expect.poll(at, { timeout: 10_000 }).toBe('2 two')
    expect(await page.locator('body').textContent()).not.toContain('the presenter\'s note')
  })
})

describe('npm start -- --follow: the flag gets past Slidev\'s strict argument parser', () => {
  it('starts the deck on localhost and prints the follow URL (the start script as package.json has it, on a free port)', async () => {
    const root = path.resolve(import.meta.dirname, '../..')
    const script = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!
    const port = await freePort()
    const [cmd, ...args] = `${script.replace('--port 3030', `--port ${port}`)} --follow --bind 127.0.0.1`.split(' ')
    const child = spawn(cmd!, args, { cwd: root, env: { ...process.env, LT_FOLLOW_PORT: '0' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()))
    try {
      await expect.poll(() => out, { timeout: 90_000, interval: 250 }).toMatch(/follow along[\s\S]*http:\/\/127\.0\.0\.1:\d+\/follow\/[0-9a-f]{16}/)
      // Slidev colours its banner where CI is set (picocolors): the port is wrapped in escapes there.
      expect(stripVTControlCharacters(out)).toContain(`http://localhost:${port}/`)
      expect(out).not.toMatch(/Unknown argument/)
    }
    finally {
      process.kill(-child.pid!, 'SIGTERM')
      await new Promise(r => child.once('exit', r))
    }
  })
})
