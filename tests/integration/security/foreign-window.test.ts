/**
 * Real Chromium: a foreign page (another local port) uses the browser's window mechanics on the
 * deck, as in issue 24. It frames the audience view and the presenter view of a demo slide,
 * hides a third frame over a fake input, opens the presenter view as a popup on a click, and posts
 * Slidev's `navigate` messages to all of them; a foreign frame inside the deck's own page (an
 * embedded site on a slide) posts them to its parent. None of it may show the deck, move the
 * projector, start a shell or reach one.
 */
import type { Browser, Page } from 'playwright-core'
import type { DeckServer } from '../../helpers/deck-server.ts'
import type { ForeignSite } from '../../helpers/foreign-site.ts'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM } from '../../../playwright.config.ts'
import { startDeck } from '../../helpers/deck-server.ts'
import { foreignSite } from '../../helpers/foreign-site.ts'
import { openUntilShown } from '../../helpers/page-loads.ts'

const BROWSER_MS = 180_000
/** The deck's demo slide (startDeck's `demo` adds it as slide 4). */
const DEMO_SLIDE = 4
const NAVIGATE = [
  { target: 'slidev', type: 'navigate', no: DEMO_SLIDE },
  { target: 'slidev', type: 'navigate', operation: 'next' },
  { target: 'slidev', type: 'navigate', operation: 'go', args: [DEMO_SLIDE, 1] },
]

let deck: DeckServer
let browser: Browser
let site: ForeignSite
let foreign: string

/** The attacker's pages: one that frames and opens the deck, one that lives inside it. */
function foreignPage(path: string): string {
  const deckUrl = JSON.stringify(deck.origin)
  const messages = JSON.stringify(NAVIGATE)
  if (path === '/child') {
    return `<!doctype html><script>
      let n = 0
      const t = setInterval(() => { for (const m of ${messages}) parent.postMessage(m, '*'); if (++n === 20) clearInterval(t) }, 200)
    </script>`
  }
  return `<!doctype html><meta charset="utf-8"><title>cat pictures</title>
    <style>iframe { width: 640px; height: 360px } #over { position: absolute; left: 0; top: 800px; opacity: 0 } #open { position: fixed; right: 10px; top: 10px; z-index: 9 }</style>
    <iframe id="audience" src=${deckUrl}></iframe>
    <iframe id="presenter" src=${JSON.stringify(`${deck.origin}/presenter/${DEMO_SLIDE}`)}></iframe>
    <input id="bait" style="position: absolute; left: 20px; top: 820px" placeholder="your name">
    <iframe id="over" src=${JSON.stringify(`${deck.origin}/${DEMO_SLIDE}`)}></iframe>
    <button id="open">open</button>
    <script>
      document.getElementById('open').onclick = () => { window.popup = window.open(${JSON.stringify(`${deck.origin}/presenter/${DEMO_SLIDE}`)}, 'deck') }
      window.drive = () => {
        const targets = [...document.querySelectorAll('iframe')].map(f => f.contentWindow)
        if (window.popup) targets.push(window.popup)
        let sent = 0
        for (const t of targets)
          for (const m of ${messages}) { try { t.postMessage(m, '*'); sent++ } catch {} }
        return sent
      }
    </script>`
}

beforeAll(async () => {
  deck = await startDeck({ demo: 'shell' })
  site = await foreignSite(foreignPage)
  foreign = site.origin
  browser = await chromium.launch({ executablePath: CHROMIUM })
  await (await projector()).close() // the first load compiles the deck: minutes on a busy machine
}, 300_000)
afterAll(async () => {
  await browser?.close()
  site?.close()
  await deck?.close()
})

/** The projector: the deck's own audience view, opened by its address. */
async function projector(): Promise<Page> {
  const page = await browser.newPage()
  await openUntilShown(page, `${deck.origin}/1`, '#slide-content', 'the projector\'s slide 1')
  return page
}

/** Whether the deck's app rendered in a frame or page (a refused or blocked one shows none). */
async function showsDeck(target: Page | ReturnType<Page['frames']>[number]): Promise<boolean> {
  try {
    return await target.evaluate(() => document.querySelector('#app #slide-content, #app .slidev-layout') !== null)
  }
  catch { // a frame Chromium blocked is an error page, not the deck's document
    return false
  }
}

describe('a foreign page that frames, overlays, opens and messages the deck', () => {
  it('shows the deck nowhere, moves no slide, and starts or reaches no shell', async () => {
    const screen = await projector()
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    const from = deck.log().length
    try {
      await page.goto(`${foreign}/`)
      await page.waitForTimeout(5_000) // the frames have had the time a deck needs to boot here
      // With the deck's opener policy the popup is in a browsing context group of its own: Playwright
      // reports it as a new page of the context, not as this page's popup.
      const [popup] = await Promise.all([page.context().waitForEvent('page', { timeout: 30_000 }), page.click('#open', { timeout: 30_000 })])
      await popup.waitForLoadState('load', { timeout: 60_000 }).catch(() => {})
      await page.waitForTimeout(3_000)
      let sent = 0
      for (let i = 0; i < 5; i++) {
        sent += await page.evaluate(() => (window as unknown as { drive: () => number }).drive())
        await page.waitForTimeout(300)
      }
      // The invisible frame over the fake input takes a click and keystrokes.
      await page.mouse.click(100, 830)
      await page.keyboard.type('id > /tmp/pwned\n', { delay: 20 })
      await page.waitForTimeout(2_000)

      expect(sent, 'the messages were posted to 3 frames and the popup').toBeGreaterThanOrEqual(3 * NAVIGATE.length)
      const frames = page.frames().filter(f => f !== page.mainFrame())
      expect(frames).toHaveLength(3)
      for (const f of frames)
        expect(await showsDeck(f), `frame ${f.url()}`).toBe(false)
      expect(await showsDeck(popup), 'the popup').toBe(false)
      expect(new URL(screen.url()).pathname, 'the projector stayed on slide 1').toBe('/1')
      expect(deck.log().slice(from)).not.toMatch(/session .* started/)
      const log = await deck.logged(/a link or popup to the deck/, from)
      expect(log).toMatch(/refused GET \/presenter\/4 .*framing the deck \(iframe\)/)
      expect(log).toMatch(/refused GET \/presenter\/4 .*a link or popup to the deck/)
    }
    finally {
      await page.close()
      await screen.close()
    }
  }, BROWSER_MS)

  it('a foreign frame inside the deck\'s own page cannot drive it by postMessage', async () => {
    const screen = await projector()
    try {
      const warned = new Promise<string>(r => screen.on('console', m => m.text().includes('ignored a message') && r(m.text())))
      // An embedded site on a slide (Slidev's iframe layouts do this) is a foreign window with a handle on the deck.
      await screen.evaluate((src) => {
        const f = document.createElement('iframe')
        f.src = src
        document.body.append(f)
      }, `${foreign}/child`)
      await screen.waitForTimeout(6_000) // the child posts 20 rounds over 4 s
      expect(new URL(screen.url()).pathname, 'the projector stayed on slide 1').toBe('/1')
      expect(await Promise.race([warned, new Promise(r => setTimeout(() => r('no warning'), 1000))])).toMatch(`ignored a message from ${foreign}`)
    }
    finally {
      await screen.close()
    }
  }, BROWSER_MS)
})
