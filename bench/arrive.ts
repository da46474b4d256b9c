/**
 * Ready on arrival (issue 12), in a real Chromium against a real deck:
 * - arrive.promptMs: from navigating onto each demo slide, after the previous slide was shown
 *   for 10 s from when its demo was prepared (prepare-ahead had that long), to the demo's
 *   prompt on screen; goal ≤ 200 ms. The median of 3 arrivals (back to the slide before for
 *   10 s, and on again).
 * - arrive.plainSlideMs: the deck's own share, for comparison: navigating onto a slide without
 *   a terminal (the one before each demo) until it is shown, median over them.
 * - arrive.prepareMs: how long that preparation took from reaching the slide before (setup.sh
 *   and the shell): the lead a presenter needs before reaching the demo (prepare-ahead starts it
 *   `prepareAhead` slides early).
 * - arrive.coldPromptMs: the same arriving by a jump from the last slide (nothing prepared).
 * - step.clickToFirstCharMs: a clicker's "next" (→) on the shell slide to the step's first typed
 *   character on screen; goal ≤ 50 ms.
 * A demo this machine can't run (its needs unmet: it shows its recording) is reported as such.
 */
import type { Page } from 'playwright-core'
import { TOKEN_PATH } from '../common/protocol.ts'
import { slideDemo } from '../common/slide-demo.ts'
import { loadDemo } from '../server/demos/demos.ts'
import { launchChromium, median, progress, REPO, round } from './lib.ts'
import { connect } from '../dev/bridge-client.ts'
import { screenRows } from '../dev/dom-screen.ts'
import { startSlidev } from '../dev/slidev.ts'
import { sleep } from '../dev/wait.ts'

export interface ArriveResult {
  /** Per demo: ms to its prompt, or why it could not be measured. */
  promptMs: Record<string, number | string>
  promptSamples: Record<string, (number | string)[]>
  plainSlideMs?: number
  coldPromptMs: Record<string, number | string>
  /** Per demo: ms from reaching the slide before until its session was ready (or why not). */
  prepareMs: Record<string, number | string>
  /** Absent when the clicks could not be measured (then `clickError` says why). */
  clickToFirstCharMs?: number
  clickToFirstCharMaxMs?: number
  clickSamples: number[]
  clickError?: string
  dwellMs: number
}

const DWELL_MS = 10_000
const ARRIVALS = 3
const TIMEOUT_MS = 120_000

interface DemoSlide { demo: string, no: number, prompt: string }

async function demoSlides(page: Page): Promise<DemoSlide[]> {
  const slides = await page.evaluate(`__slidev__.nav.slides.map(s => ({ no: s.no, fm: s.meta.slide.frontmatter }))`) as { no: number, fm: Record<string, unknown> }[]
  return slides.flatMap((s) => {
    const demo = slideDemo(s.fm)
    return demo ? [{ demo, no: s.no, prompt: loadDemo(demo).prompt }] : []
  })
}

/** In the page: shown, for `checkVisibility` (a pre-joined slide is laid out but `visibility: hidden`). */
const VISIBLE = `{ visibilityProperty: true }`

/**
 * In the page: goes to slide `no`, then asks `outcome` (a function's source) each frame; resolves
 * with the ms until it answers true, or with its answer when that is text (why there is nothing
 * to time). Bounded.
 */
function goAndTime(page: Page, no: number, outcome: string): Promise<number | string> {
  return page.evaluate(`new Promise((resolve) => {
    const VISIBLE = ${VISIBLE}
    const outcome = ${outcome}
    const t0 = performance.now()
    const check = () => {
      const o = outcome()
      if (o === true)
        return resolve(Math.round((performance.now() - t0) * 10) / 10)
      if (typeof o === 'string')
        return resolve(o)
      if (performance.now() - t0 > ${TIMEOUT_MS})
        return resolve('not there after ${TIMEOUT_MS / 1000} s')
      requestAnimationFrame(check)
    }
    __slidev__.nav.go(${no})
    requestAnimationFrame(check)
  })`) as Promise<number | string>
}

/** Goes to slide `no`: the ms until it is shown. */
async function arrivePlain(page: Page, no: number): Promise<number> {
  const ms = await goAndTime(page, no, `() => document.querySelector('.slidev-page-${no}')?.checkVisibility(VISIBLE) || undefined`)
  if (typeof ms === 'string')
    throw new Error(`slide ${no}: ${ms}`)
  return ms
}

/**
 * Goes to the demo's slide: the ms until its terminal is live and shown (not a hidden slide's
 * terminal drawing ahead) with the prompt as its last row, or why not (its recording instead).
 */
function arrive(page: Page, s: DemoSlide): Promise<number | string> {
  return goAndTime(page, s.no, `() => {
    const sel = '.slidev-page-${s.no} .live-terminal'
    const el = document.querySelector(sel)
    const status = el && el.getAttribute('data-status')
    if (status === 'recording' || status === 'no-recording')
      return 'shows its recording: ' + el.querySelector('.live-terminal__status').textContent
    const rows = (${screenRows})(document.querySelector(sel + ' .xterm-rows')).map(r => r.trimEnd()).filter(r => r !== '')
    return (status === 'live' && el.checkVisibility(VISIBLE) && rows.length > 0 && new RegExp(${JSON.stringify(s.prompt)}).test(rows.at(-1) + ' ')) || undefined
  }`)
}

/**
 * Resolves with the ms until `demo`'s session (already being prepared by the page) is running,
 * or with why not: a watch window of its own asks the bridge, as the presenter's panel does.
 */
async function whenPrepared(deckUrl: string, demo: string): Promise<number | string> {
  const t0 = performance.now()
  const port = Number(new URL(deckUrl).port)
  const { token } = await (await fetch(`${deckUrl}${TOKEN_PATH}`, { headers: { Origin: deckUrl } })).json() as { token: string }
  const watcher = await connect(port, { token, demo, role: 'watch' })
  try {
    const m = await watcher.waitForMessage(m => m.type === 'state' && m.phase !== 'preparing', TIMEOUT_MS)
    return m.type === 'state' && m.phase === 'running' ? round(performance.now() - t0, 0) : `${m.type === 'state' ? m.phase : m.type}: ${((m.type === 'state' && m.detail) || '').split('\n')[0]}`
  }
  finally {
    await watcher.close()
  }
}

/**
 * In the page: ms from the next keydown to the first change of the terminal's last row. A
 * MutationObserver sees the change in the frame xterm.js draws it (polling each frame would
 * see it a frame late when its callback runs before xterm's).
 */
// `void`: evaluate must not wait for this promise, which settles only after the key is pressed.
const FIRST_CHAR = (no: number) => `void (window.__firstChar = new Promise((resolve) => {
  const sel = '.slidev-page-${no} .live-terminal'
  const last = () => (${screenRows})(document.querySelector(sel + ' .xterm-rows')).map(r => r.trimEnd()).filter(r => r !== '').at(-1)
  // Bounded even if the key never reaches the page (a bench that waits forever measures nothing).
  setTimeout(() => resolve('no keydown reached the page within 20 s'), 20000)
  addEventListener('keydown', () => {
    const t0 = performance.now()
    const before = last()
    const seen = new MutationObserver(() => {
      if (last() !== before) {
        seen.disconnect()
        resolve(Math.round((performance.now() - t0) * 10) / 10)
      }
    })
    seen.observe(document.querySelector(sel + ' .xterm-rows'), { subtree: true, childList: true, characterData: true })
    setTimeout(() => {
      seen.disconnect()
      resolve('nothing typed within 10 s')
    }, 10000)
  }, { capture: true, once: true })
}))`

async function clickToFirstChar(page: Page, shell: DemoSlide, rounds: number): Promise<number[]> {
  const samples: number[] = []
  for (let r = 0; r < rounds; r++) {
    await page.mouse.click(5, 5) // keys to the deck, not the terminal
    await page.keyboard.press('Shift+R')
    await sleep(3_000)
    for (let step = 0; step < 2; step++) {
      await page.evaluate(FIRST_CHAR(shell.no))
      await page.keyboard.press('ArrowRight')
      const ms = await page.evaluate('window.__firstChar') as number | string
      if (typeof ms === 'string')
        throw new Error(`step ${step + 1} on the shell slide: ${ms}`)
      samples.push(ms)
      await sleep(3_000) // the step types and runs
    }
  }
  return samples
}

export async function measureArrive(): Promise<ArriveResult> {
  const browser = await launchChromium()
  const slidev = await startSlidev({ cwd: REPO, args: ['--bind', '127.0.0.1'] })
  try {
    await slidev.ready()
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.goto(`${slidev.url}/1`, { waitUntil: 'load', timeout: TIMEOUT_MS })
    await page.waitForFunction('window.__slidev__', undefined, { timeout: TIMEOUT_MS })
    const slides = await demoSlides(page)
    const promptMs: ArriveResult['promptMs'] = {}
    const promptSamples: ArriveResult['promptSamples'] = {}
    const plain: number[] = []
    const coldPromptMs: ArriveResult['coldPromptMs'] = {}
    const prepareMs: ArriveResult['prepareMs'] = {}
    // On the last slide no demo is ahead: every session ends, the next arrival starts afresh.
    const farAway = `__slidev__.nav.go(__slidev__.nav.total)`
    for (const s of slides) {
      await page.evaluate(farAway)
      await sleep(3_000)
      coldPromptMs[s.demo] = await arrive(page, s)
      await page.evaluate(farAway)
      await sleep(3_000)
      plain.push(await arrivePlain(page, s.no - 1))
      prepareMs[s.demo] = await whenPrepared(slidev.url, s.demo).catch((err: Error) => `not prepared: ${err.message}`)
      // Not the moment setup ends, while its pods still start and load the machine: a presenter
      // arrives some time after (README: spend the lead on the slides before).
      await sleep(DWELL_MS)
      const samples = [await arrive(page, s)]
      while (samples.length < ARRIVALS && typeof samples.at(-1) === 'number') {
        plain.push(await arrivePlain(page, s.no - 1)) // the demo stays prepared: one slide ahead
        await sleep(DWELL_MS)
        samples.push(await arrive(page, s))
      }
      promptSamples[s.demo] = samples
      promptMs[s.demo] = samples.find(v => typeof v === 'string') ?? median(samples as number[])
      progress(`  arrive ${s.demo}: ${samples.join(', ')} ms, each ${DWELL_MS / 1000} s after prepared, from the slide before (prepared in ${prepareMs[s.demo]} ms); cold ${coldPromptMs[s.demo]} ms`)
    }
    const shell = slides.find(s => s.demo === 'shell')
    if (!shell)
      throw new Error('the deck has no shell slide to click on')
    await page.evaluate(`__slidev__.nav.go(${shell.no})`)
    await sleep(3_000)
    const arrivals = { promptMs, promptSamples, plainSlideMs: plain.length ? median(plain) : undefined, coldPromptMs, prepareMs, dwellMs: DWELL_MS }
    progress(`  a slide without a terminal is shown after ${arrivals.plainSlideMs} ms (median of ${plain.length})`)
    // A failure here must not take the arrival figures with it.
    try {
      const samples = await clickToFirstChar(page, shell, 3)
      progress(`  click → first character: ${samples.join(', ')} ms`)
      return { ...arrivals, clickToFirstCharMs: median(samples), clickToFirstCharMaxMs: Math.max(...samples), clickSamples: samples }
    }
    catch (err) {
      progress(`  click → first character not measured: ${(err as Error).message}`)
      return { ...arrivals, clickSamples: [], clickError: (err as Error).message }
    }
  }
  finally {
    await browser.close()
    await slidev.stop()
  }
}

/** Worst of the measured demos (those that ran live). */
export function worstPromptMs(r: ArriveResult): number | undefined {
  const ms = Object.values(r.promptMs).filter((v): v is number => typeof v === 'number')
  return ms.length ? round(Math.max(...ms), 1) : undefined
}
