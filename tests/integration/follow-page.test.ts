/**
 * The follow page in a real Chromium with a phone's viewport (390×844), running on another
 * machine: Chromium itself is started inside the network namespace (`ip netns exec`), so every
 * request it makes comes from the peer's address. It follows the presenter's slides, shows the
 * demo's terminal live with the typed command and its output, lists the command with a copy
 * button, lets the reader page back without moving anyone, and its terminal text is at least
 * 12 CSS px with nothing wider than the screen.
 */
import type { Browser, Page } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { SHELL_SLIDE, followScene } from '../helpers/follow-server.ts'
import { peerUnavailable } from '../helpers/netns.ts'
import { launchOnPeer } from '../helpers/peer-browser.ts'

vi.setConfig({ testTimeout: 90_000 })

const unavailable = peerUnavailable()
const scene = followScene()
let browser: Browser
let page: Page

beforeAll(async () => {
  if (unavailable)
    return
  scene.server.setSlide(1)
  browser = await launchOnPeer(scene.peer)
  page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
  await page.goto(scene.server.base)
}, 120_000)
afterAll(() => browser?.close())

describe.skipIf(unavailable)(`the follow page on a phone on another machine (${unavailable ?? 'network namespace'})`, () => {
  const slideNo = () => page.locator('#slide').getAttribute('data-page')

  it('shows the current slide and follows the presenter\'s next and previous', async () => {
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toBe('라이브')
    await expect.poll(slideNo).toBe('1')
    await expect.poll(() => page.locator('#slide h1').textContent()).toBe('쿠버네티스 기초')
    scene.server.setSlide(2)
    await expect.poll(slideNo).toBe('2')
    expect(await page.locator('#slide h1').textContent()).toBe('발표 순서')
    scene.server.setSlide(1)
    await expect.poll(slideNo).toBe('1')
    scene.server.setSlide(2)
    await expect.poll(slideNo).toBe('2')
  })

  it('on the demo slide shows the terminal live: the typed command, its output, and the copy list', async () => {
    scene.server.setSlide(SHELL_SLIDE)
    await page.locator('#demo').waitFor({ state: 'visible' })
    scene.presenter.send({ type: 'step' })
    await scene.presenter.waitForText(/안녕하세요, 쿠버네티스 기초입니다\r\n/, 15_000)
    const rows = page.locator('#terminal .xterm-rows')
    await expect.poll(() => rows.textContent(), { timeout: 10_000 }).toContain('echo "안녕하세요, 쿠버네티스 기초입니다"')
    await expect.poll(async () => ((await rows.textContent()) ?? '').split('안녕하세요, 쿠버네티스 기초입니다').length - 1).toBeGreaterThanOrEqual(2)
    const commands = page.locator('#commands li')
    await expect.poll(() => commands.count()).toBe(1)
    expect(await commands.locator('code').textContent()).toBe('echo "안녕하세요, 쿠버네티스 기초입니다"')
    expect(await commands.locator('button').textContent()).toBe('복사')
    // The terminal is read-only: what the reader types goes nowhere.
    await page.locator('#terminal').click()
    await page.keyboard.type('touch /tmp/never\n')
    await new Promise(r => setTimeout(r, 500))
    expect(scene.presenter.text()).not.toContain('touch /tmp/never')
  })

  it('lets the reader page back on their own without moving the presenter, and come back', async () => {
    await page.locator('#prev').click()
    await expect.poll(slideNo).toBe(String(SHELL_SLIDE - 1))
    expect(scene.server.follow?.hub.info().page ?? SHELL_SLIDE).toBe(SHELL_SLIDE)
    await page.locator('#live').click()
    await expect.poll(slideNo).toBe(String(SHELL_SLIDE))
  })

  it('on a demo slide whose demo is not running, shows its recording\'s final screen', async () => {
    scene.server.setSlide(20) // slides.md: same-kernel, no session in this test
    await page.locator('#recording').waitFor({ state: 'visible' })
    expect(await page.locator('#demo').isVisible()).toBe(false)
    await expect.poll(() => page.locator('#rec-terminal .xterm-rows').textContent(), { timeout: 10_000 }).toContain('grep NSpid /proc/$C/status')
    scene.server.setSlide(SHELL_SLIDE)
    await page.locator('#demo').waitFor({ state: 'visible' })
    expect(await page.locator('#recording').isVisible()).toBe(false)
  })

  it('phone layout: terminal text at least 12 CSS px, nothing wider than the screen (screenshot)', async () => {
    await page.locator('#larger').click()
    await page.locator('#smaller').click()
    // Drawn as a terminal: its screen as wide as its columns (not a squashed box) and its rows as tall.
    const screen = await page.locator('#terminal .xterm-screen').boundingBox()
    expect(screen!.width).toBeGreaterThan(80 * 6)
    expect(screen!.height).toBeGreaterThan(20 * 12)
    const fontPx = await page.locator('#terminal .xterm-rows').evaluate(el => Number.parseFloat(getComputedStyle(el).fontSize))
    expect(fontPx).toBeGreaterThanOrEqual(12)
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, inner: window.innerWidth }))
    expect(widths.doc).toBeLessThanOrEqual(widths.inner)
    expect(widths.body).toBeLessThanOrEqual(widths.inner)
    // Every block of the page (the terminal scrolls inside its own box) fits the screen.
    const wide = await page.evaluate(() => [...document.querySelectorAll('header, main, article, section, .terminal-box, ol, nav')]
      .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5).map(el => el.id || el.tagName))
    expect(wide).toEqual([])
    mkdirSync('test-results', { recursive: true })
    await page.screenshot({ path: 'test-results/follow-phone-390x844.png', fullPage: true })
  })

  it('renders Korean with the deck\'s own fonts, served by the follow listener: two cells a syllable in the terminal', async () => {
    const fonts = await page.evaluate(async () => {
      const families = ['"Nanum Gothic Coding"', '"Noto Sans KR"']
      // load() gives the faces it loaded for that text: none when the page has no such font.
      return Promise.all(families.map(async f => (await document.fonts.load(`16px ${f}`, '안녕하세요')).length > 0))
    })
    expect(fonts, 'Nanum Gothic Coding and Noto Sans KR loaded for Hangul').toEqual([true, true])
    const loaded = await page.evaluate(() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, '')))
    expect(new Set(loaded)).toEqual(new Set(['Nanum Gothic Coding', 'Noto Sans KR', ...loaded.filter(f => f === 'Noto Sans Mono')]))
    // The typed line on the live terminal, `echo "안녕하세요, …"`: a syllable as wide as two Latin letters.
    const m = await page.locator('#terminal .xterm-rows').evaluate((rows) => {
      const walker = document.createTreeWalker(rows, NodeFilter.SHOW_TEXT)
      const texts: Text[] = []
      while (walker.nextNode())
        texts.push(walker.currentNode as Text)
      const width = (word: string) => {
        const node = texts.find(t => t.data.includes(word))
        if (!node)
          return undefined
        const range = document.createRange()
        range.setStart(node, node.data.indexOf(word))
        range.setEnd(node, node.data.indexOf(word) + word.length)
        return range.getBoundingClientRect().width / word.length
      }
      return { hangul: width('안녕하세요'), latin: width('echo'), family: getComputedStyle(rows).fontFamily }
    })
    expect(m.family).toMatch(/^"Nanum Gothic Coding"/)
    expect(m.hangul && m.latin, 'the typed line on the terminal').toBeTruthy()
    expect(Math.abs(m.hangul! / m.latin! - 2), `a syllable ${m.hangul} px, a letter ${m.latin} px`).toBeLessThan(0.03)
  })

  it('everything the page loaded came from the deck\'s follow listener', async () => {
    const urls = await page.evaluate(() => performance.getEntriesByType('resource').map(e => e.name))
    for (const u of urls)
      expect(new URL(u).host).toBe(`${scene.peer.hostAddress}:${scene.server.port}`)
  })
})
