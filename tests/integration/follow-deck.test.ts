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
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CHROMIUM } from '../../playwright.config.ts'
import { startDeck } from '../helpers/deck-server.ts'
import { createPeer, peerUnavailable } from '../helpers/netns.ts'

vi.setConfig({ testTimeout: 120_000 })

const unavailable = peerUnavailable()
const tmp = mkdtempSync(path.join(os.tmpdir(), 'follow-deck-'))
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
  const wrapper = path.join(tmp, 'chromium-in-netns.sh')
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${peer.ns} ${JSON.stringify(CHROMIUM)} "$@"\n`)
  chmodSync(wrapper, 0o755)
  phone = await chromium.launch({ executablePath: wrapper, args: ['--no-sandbox'] })
}, 180_000)
afterAll(async () => {
  await phone?.close()
  await here?.close()
  await deck?.close()
  peer?.remove()
  rmSync(tmp, { recursive: true, force: true })
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
    await presenter.locator('.follow-qr svg').waitFor({ timeout: 60_000 })
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
