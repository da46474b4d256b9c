/**
 * `prepareAhead: all` (real Chromium, real deck and bridge, real shells): opening the deck
 * prepares every demo of it at once, more demos than a fixed cap of 8 sessions would let live,
 * each setup run once; the last demo's slide then opens on its live prompt without "준비 중",
 * and demos already passed keep their session (no setup again on the way back).
 */
import type { Page } from 'playwright-core'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDemosDeck } from '../../dev/decks.ts'
import { waitFor } from '../../dev/wait.ts'
import { deckInBrowser } from '../helpers/deck-in-browser.ts'
import { openUntilShown } from '../helpers/page-loads.ts'

const IDS = Array.from({ length: 10 }, (_, i) => `prep-${i + 1}`)
const demo = (id: string) => ({
  'demo.yaml': `title: ${id}\nsetup: setup.sh\nsteps:\n  - type: echo ${id}\n`,
  // Each run of the setup leaves a line: the test counts them.
  'setup.sh': 'date +%s%N >> setups.log\n',
})
const deck = createDemosDeck(Object.fromEntries(IDS.map(id => [id, demo(id)])), { headmatter: ['prepareAhead: all'], deckHooks: true })
const setups = (id: string) => {
  try {
    return readFileSync(path.join(deck.dir, 'demos', id, 'setups.log'), 'utf8').split('\n').filter(Boolean).length
  }
  catch {
    return 0
  }
}
const served = deckInBrowser(deck)

describe('prepareAhead: all', () => {
  it('prepares every demo of the deck at its opening, keeps them, and each slide opens live', async () => {
    const page: Page = await served.browser.newPage({ viewport: { width: 1400, height: 900 } })
    await openUntilShown(page, `${served.slidev.url}/presenter/1`, '.slidev-page', 'the presenter view', 3, 60_000)
    const phase = (id: string) => page.locator(`.prepare-status [data-demo="${id}"]`).getAttribute('data-phase', { timeout: 1000 }).catch(() => null)
    await waitFor(async () => (await Promise.all(IDS.map(phase))).every(p => p === 'running'), 'every demo ready in the presenter\'s status', 60_000, 200)
    expect(IDS.map(setups)).toEqual(IDS.map(() => 1))

    // The last demo's slide, far beyond any window of 2: live at once.
    const last = 2 * IDS.length
    const statuses: string[] = []
    await page.exposeFunction('sawStatus', (s: string) => statuses.push(s))
    await page.evaluate(() => new MutationObserver(() => {
      for (const el of document.querySelectorAll('.live-terminal__status'))
        (window as unknown as { sawStatus: (s: string) => void }).sawStatus(el.textContent ?? '')
    }).observe(document.body, { subtree: true, childList: true, characterData: true }))
    await page.evaluate(`__slidev__.nav.go(${last})`)
    await page.locator(`.slidev-page-${last} .live-terminal[data-status="live"]`).first().waitFor({ timeout: 5_000 })
    expect(statuses).not.toContain('준비 중…')

    // Back to the first demo: its session lived on, its setup did not run again.
    await page.evaluate(`__slidev__.nav.go(2)`)
    await page.locator('.slidev-page-2 .live-terminal[data-status="live"]').first().waitFor({ timeout: 5_000 })
    await new Promise(r => setTimeout(r, 2000)) // a debounced window move would start and end sessions now
    expect(IDS.map(setups)).toEqual(IDS.map(() => 1))
    expect(await phase(IDS.at(-1)!)).toBe('running')
    await page.close()
  }, 180_000)
})
