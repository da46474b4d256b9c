/**
 * Deck cold start: from spawning `slidev` until the first slide is rendered in Chromium
 * (`.slidev-page-1` with its heading visible), the deck vs a plain three-slide deck. Chromium
 * is launched once beforehand (not timed). Each deck gets one untimed warm-up start (Vite's
 * dependency optimizer cache and the OS page cache), then the timed starts alternate; the
 * medians count (an odd number of runs), the minimums are reported too.
 */
import type { Browser } from 'playwright-core'
import { launchChromium, median, now, progress, REPO, round } from './lib.ts'
import { createPlainDeck } from '../dev/decks.ts'
import { startSlidev } from '../dev/slidev.ts'

export interface StartRun { deck: 'deck' | 'plain', httpMs: number, startMs: number, requests: number, kib: number }

export interface DeckStartResult {
  runs: number
  startMs: number
  plainStartMs: number
  ratio: number
  /** The fastest start of each: the least noise on a busy machine. */
  minMs: number
  plainMinMs: number
  /** Until the dev server answered HTTP (the rest is the browser loading and rendering). */
  httpMs: number
  plainHttpMs: number
  /** Responses the page loaded until the first slide showed, and their size (content-length). */
  requests: number
  plainRequests: number
  all: StartRun[]
}

async function coldStart(browser: Browser, deck: 'deck' | 'plain', cwd: string): Promise<StartRun> {
  const t0 = now()
  const slidev = await startSlidev({ cwd, args: ['--bind', '127.0.0.1'] })
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
  try {
    await slidev.ready()
    const httpMs = now() - t0
    const page = await context.newPage()
    let requests = 0
    let bytes = 0
    page.on('response', (res) => {
      requests++
      bytes += Number(res.headers()['content-length'] ?? 0)
    })
    await page.goto(`${slidev.url}/1`, { timeout: 120_000 })
    await page.locator('.slidev-page-1 h1').first().waitFor({ state: 'visible', timeout: 120_000 })
    const startMs = round(now() - t0, 0)
    return { deck, httpMs: round(httpMs, 0), startMs, requests, kib: round(bytes / 1024, 0) }
  }
  finally {
    await context.close().catch(() => {})
    await slidev.stop()
  }
}

export async function measureDeckStart(runs = 5): Promise<DeckStartResult> {
  const plain = createPlainDeck()
  const browser = await launchChromium()
  try {
    const all: StartRun[] = []
    const decks = { deck: REPO, plain: plain.dir }
    for (const [deck, cwd] of Object.entries(decks) as ['deck' | 'plain', string][]) {
      const w = await coldStart(browser, deck, cwd)
      progress(`  start ${deck} (warm-up): ${w.startMs} ms (HTTP after ${w.httpMs} ms)`)
    }
    for (let i = 0; i < runs; i++) {
      for (const deck of i % 2 ? ['plain', 'deck'] as const : ['deck', 'plain'] as const) {
        const r = await coldStart(browser, deck, decks[deck])
        all.push(r)
        progress(`  start ${deck}: ${r.startMs} ms (HTTP after ${r.httpMs} ms; ${r.requests} requests, ${r.kib} KiB)`)
      }
    }
    const of = (d: 'deck' | 'plain', k: 'startMs' | 'httpMs' | 'requests') => median(all.filter(r => r.deck === d).map(r => r[k]))
    return {
      runs,
      startMs: of('deck', 'startMs'),
      plainStartMs: of('plain', 'startMs'),
      ratio: round(of('deck', 'startMs') / of('plain', 'startMs'), 3),
      minMs: Math.min(...all.filter(r => r.deck === 'deck').map(r => r.startMs)),
      plainMinMs: Math.min(...all.filter(r => r.deck === 'plain').map(r => r.startMs)),
      httpMs: of('deck', 'httpMs'),
      plainHttpMs: of('plain', 'httpMs'),
      requests: of('deck', 'requests'),
      plainRequests: of('plain', 'requests'),
      all,
    }
  }
  finally {
    await browser.close().catch(() => {})
    plain.remove()
  }
}
