/**
 * Real Chromium: a foreign page loads the deck's files as subresources (`<img>`, `<script>`),
 * which needs no CORS. Served, each is work Vite does for the attacker: a source file of the
 * server makes Vite discover a dependency (`ws`) and reload every deck window (a reload used to
 * end the live demo), and each new query string adds a module-graph entry that is never freed.
 * Refused, none of it happens: 403 and a logged reason for each, no reload, the server's memory flat.
 */
import type { Browser } from 'playwright-core'
import type { DeckServer } from '../../helpers/deck-server.ts'
import type { ForeignSite } from '../../helpers/foreign-site.ts'
import { readFileSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM } from '../../../playwright.config.ts'
import { startDeck } from '../../helpers/deck-server.ts'
import { foreignSite } from '../../helpers/foreign-site.ts'
import { pageLoads } from '../../helpers/page-loads.ts'

const LOADS = 400
/** What 400 served module-graph entries took: +700 MB (issue 24); GC noise is a few tens. */
const RSS_GROWTH_MAX_MB = 80

let deck: DeckServer
let browser: Browser
let site: ForeignSite

function attack(): string {
  const d = JSON.stringify(deck.origin)
  return `<!doctype html><body><script>
    const load = (tag, src) => new Promise((done) => {
      const el = document.createElement(tag)
      if (tag === 'script') el.type = 'module'
      el.onload = () => done(1)
      el.onerror = () => done(0)
      el.src = src
      document.body.append(el)
    })
    window.attack = (async () => {
      let loaded = (await Promise.all([load('img', ${d} + '/server/bridge/bridge.ts'), load('script', ${d} + '/server/bridge/bridge.ts?import')])).reduce((a, b) => a + b)
      for (let i = 0; i < ${LOADS}; i += 50)
        loaded += (await Promise.all(Array.from({ length: 50 }, (_, j) => load('script', ${d} + '/node_modules/@xterm/xterm/lib/xterm.mjs?import&q=' + (i + j))))).reduce((a, b) => a + b)
      return loaded
    })()
  </script>`
}

/** The slidev process's resident memory, in MB. */
function rssMb(): number {
  const kb = Number(readFileSync(`/proc/${deck.pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m)?.[1])
  return kb / 1024
}

/** The server's memory once the first page's compile is over (it drops by hundreds of MB after it). */
async function settledRssMb(): Promise<number> {
  let last = rssMb()
  for (let i = 0; i < 30; i++) {
    await new Promise(r => setTimeout(r, 2000))
    const now = rssMb()
    if (Math.abs(now - last) < 10)
      return now
    last = now
  }
  return last
}

beforeAll(async () => {
  deck = await startDeck({ copy: ['server', 'common'] })
  site = await foreignSite(attack)
  browser = await chromium.launch({ executablePath: CHROMIUM })
}, 120_000)
afterAll(async () => {
  await browser?.close()
  site?.close()
  await deck?.close()
})

describe('a foreign page that loads the deck\'s files as images and scripts', () => {
  it('gets 403 for each, reloads no deck window, and leaves the server\'s memory flat', async () => {
    const screen = await browser.newPage()
    const loads = pageLoads(screen)
    await screen.goto(`${deck.origin}/1`)
    await screen.waitForSelector('#slide-content', { timeout: 240_000 })
    const before = await settledRssMb()
    const from = deck.log().length
    const page = await browser.newPage()
    try {
      await page.goto(`${site.origin}/`, { waitUntil: 'commit' }) // its load event waits for all 400
      const loaded = await page.evaluate(() => (window as unknown as { attack: Promise<number> }).attack)
      expect(loaded, 'scripts and images the foreign page got from the deck').toBe(0)
      await screen.waitForTimeout(8_000) // Vite reloads ~5 s after it discovers a dependency
      expect(loads, 'the deck window was never reloaded').toEqual(['/1'])
      const growth = rssMb() - before
      console.log(`server RSS ${before.toFixed(0)} MB → +${growth.toFixed(1)} MB over ${LOADS} cross-site loads`)
      expect(growth).toBeLessThan(RSS_GROWTH_MAX_MB)
      const log = await deck.logged(/refused GET \/node_modules\/@xterm\/xterm\/lib\/xterm\.mjs /, from, LOADS)
      expect(log.match(/refused GET \/node_modules\/@xterm\/xterm\/lib\/xterm\.mjs .*Sec-Fetch-Site "same-site"/g)?.length, 'another port of localhost is same-site').toBe(LOADS)
      expect(log).toMatch(/refused GET \/server\/bridge\/bridge\.ts .*loading a file of the deck \(image\) from another site/)
    }
    finally {
      await page.close()
      await screen.close()
    }
  }, 300_000)
})
