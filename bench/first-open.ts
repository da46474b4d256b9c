/**
 * The first open after `npm install`: a fresh copy of the deck (no Vite cache) and a plain
 * Slidev deck, each started cold, then started again warm (the cache filled by the first start).
 * Timed from spawning `slidev` to the first slide's heading in Chromium. The deck is also taken
 * to its first demo slide, and every document load after the first counts as a reload (Vite
 * reloads the page when it discovers a dependency late; a reload drops a live terminal).
 */
import type { Browser } from 'playwright-core'
import { pageLoads } from '../tests/helpers/page-loads.ts'
import { launchChromium, median, now, progress, round } from './lib.ts'
import { createFreshDeck, createPlainDeck } from '../dev/decks.ts'
import { startSlidev } from '../dev/slidev.ts'

export interface FirstOpenResult {
  runs: number
  /** Page loads after the first one, across /1 and the first demo slide (goal 0). */
  reloads: number
  coldFirstSlideMs: number
  plainColdFirstSlideMs: number
  warmFirstSlideMs: number
  plainWarmFirstSlideMs: number
}

const FIRST_DEMO = '/shell'

async function open(browser: Browser, cwd: string, withDemo: boolean): Promise<{ firstSlideMs: number, reloads: number }> {
  const t0 = now()
  const slidev = await startSlidev({ cwd, args: ['--bind', '127.0.0.1'] })
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
  try {
    await slidev.ready()
    const page = await context.newPage()
    const loads = pageLoads(page)
    await page.goto(`${slidev.url}/1`, { timeout: 300_000 })
    await page.locator('.slidev-page-1 h1').first().waitFor({ state: 'visible', timeout: 300_000 })
    const firstSlideMs = round(now() - t0, 0)
    let opened = 1
    // Late discoveries reload a few seconds after the page is up: give them the time.
    await page.waitForTimeout(5_000)
    if (withDemo) {
      await page.goto(`${slidev.url}${FIRST_DEMO}`, { timeout: 300_000 })
      opened++
      await page.locator('.xterm').first().waitFor({ state: 'visible', timeout: 300_000 })
      await page.waitForTimeout(5_000)
    }
    return { firstSlideMs, reloads: loads.length - opened }
  }
  finally {
    await context.close().catch(() => {})
    await slidev.stop()
  }
}

export async function measureFirstOpen(runs = 3): Promise<FirstOpenResult> {
  const browser = await launchChromium()
  const rows: { deck: 'deck' | 'plain', cold: number, warm: number, reloads: number }[] = []
  try {
    for (let i = 0; i < runs; i++) {
      for (const deck of ['deck', 'plain'] as const) {
        const copy = deck === 'deck' ? createFreshDeck() : createPlainDeck()
        try {
          const cold = await open(browser, copy.dir, deck === 'deck')
          const warm = await open(browser, copy.dir, false)
          rows.push({ deck, cold: cold.firstSlideMs, warm: warm.firstSlideMs, reloads: cold.reloads + warm.reloads })
          progress(`  first open ${deck}: cold ${cold.firstSlideMs} ms, warm ${warm.firstSlideMs} ms, ${cold.reloads + warm.reloads} reload(s)`)
        }
        finally {
          copy.remove()
        }
      }
    }
  }
  finally {
    await browser.close().catch(() => {})
  }
  const of = (d: 'deck' | 'plain', k: 'cold' | 'warm') => median(rows.filter(r => r.deck === d).map(r => r[k]))
  return {
    runs,
    reloads: Math.max(...rows.filter(r => r.deck === 'deck').map(r => r.reloads)),
    coldFirstSlideMs: of('deck', 'cold'),
    plainColdFirstSlideMs: of('plain', 'cold'),
    warmFirstSlideMs: of('deck', 'warm'),
    plainWarmFirstSlideMs: of('plain', 'warm'),
  }
}
