/**
 * Flood recovery in a real browser: the deck's /shell slide in headless Chromium, `yes` for
 * 5 s, then Ctrl-C. Measured: milliseconds from the key press until the prompt is back on
 * screen (the terminal's own screen text, checked every animation frame in the page), and the
 * slidev process's RSS before, at peak during, and after the flood (before and after are read
 * right after a full GC through the inspector, so they compare live memory). A WebSocket probe
 * in the page counts the output bytes and acks, to tell where the time goes.
 */
import type { Page } from 'playwright-core'
import type { Slidev } from './lib.ts'
import { collectGarbage, launchChromium, progress, REPO, round, rssMb, sleep, startSlidev, waitFor, waitForHttp, withTimeout } from './lib.ts'

export interface FloodResult {
  floodMs: number
  ctrlCMs: number
  rssBeforeMb: number
  rssPeakMb: number
  rssAfterMb: number
  rssGrowthMb: number
  /** Output delivered to the page while `yes` ran, and its rate. */
  floodBytes: number
  floodMbps: number
  /** Output that still arrived after Ctrl-C, before the prompt. */
  bytesAfterCtrlC: number
  acks: number
  renderer: string
}

interface Probe { bytes: number, frames: number, acks: number }

/**
 * Runs in the page before any script: counts the terminal socket's output and acks. A string,
 * not a function: tsx would add helpers to a function's source that the page doesn't have.
 */
const PROBE = `(() => {
  const probe = { bytes: 0, frames: 0, acks: 0 }
  window.__benchProbe = probe
  const Native = window.WebSocket
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols)
      if (!String(url).includes('/__live-terminal'))
        return
      this.addEventListener('message', (ev) => {
        if (ev.data instanceof ArrayBuffer) {
          probe.bytes += ev.data.byteLength
          probe.frames++
        }
      })
      const send = this.send.bind(this)
      this.send = (data) => {
        if (typeof data === 'string' && data.includes('"ack"'))
          probe.acks++
        send(data)
      }
    }
  }
})()`

const readProbe = (page: Page) => page.evaluate('({ ...window.__benchProbe })') as Promise<Probe>

const SEL = '.live-terminal'

/** The terminal's rows as text (the component exposes them for tests and benchmarks). */
export function screen(page: Page): Promise<string[]> {
  return page.$eval(SEL, el => (el as HTMLElement & { liveTerminalScreen?: () => string[] }).liveTerminalScreen?.() ?? [])
}

/** The last non-blank row is the bare prompt `$ ` (xterm keeps written spaces, so trim them). */
export const promptBack = (rows: string[]) => rows.map(r => r.trimEnd()).filter(r => r !== '').at(-1) === '$'

/** Opens /shell and waits until the terminal is live with a prompt on screen. */
export async function openShellSlide(page: Page, s: Slidev): Promise<void> {
  await page.goto(`${s.url}/shell`, { waitUntil: 'load', timeout: 120_000 })
  let last = { status: null as string | null, rows: [] as string[] }
  try {
    await waitFor(async () => {
      last = {
        status: await page.$eval(SEL, el => el.getAttribute('data-status')).catch(() => null),
        rows: await screen(page).catch(() => []),
      }
      return last.status === 'live' && promptBack(last.rows)
    }, 'the /shell terminal to be live with a prompt', 120_000, 100)
  }
  catch (err) {
    throw new Error(`${(err as Error).message}; status ${last.status}, screen:\n${last.rows.join('\n')}\nslidev:\n${s.output().slice(-1500)}`)
  }
}

export async function measureFlood(floodMs = 5_000): Promise<FloodResult> {
  const browser = await launchChromium()
  const slidev = await startSlidev(REPO, { inspect: true })
  try {
    await waitForHttp(slidev)
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.addInitScript(PROBE)
    await openShellSlide(page, slidev)
    const renderer = await page.$eval(SEL, el => el.querySelector('canvas') ? 'webgl' : 'dom')
    progress(`  flood: /shell is live (${renderer} renderer); slidev pid ${slidev.pid}`)
    await page.click(`${SEL} .xterm`)
    await sleep(1_000)
    await collectGarbage(slidev.inspectPort!) // RSS then counts live memory, not GC timing
    const rssBeforeMb = rssMb(slidev.pid)
    const start = await readProbe(page)
    await page.keyboard.type('yes\n')
    let rssPeakMb = rssBeforeMb
    const until = Date.now() + floodMs
    while (Date.now() < until) {
      rssPeakMb = Math.max(rssPeakMb, rssMb(slidev.pid))
      await sleep(100)
    }
    const atCtrlC = await readProbe(page)
    const t0 = Date.now()
    await page.keyboard.press('Control+C')
    const seenAt = await withTimeout(page.evaluate(`new Promise((resolve) => {
      const el = document.querySelector(${JSON.stringify(SEL)})
      const deadline = Date.now() + 60000
      const check = () => {
        const rows = el.liveTerminalScreen()
        const last = rows.map(r => r.trimEnd()).filter(r => r !== '').at(-1)
        if (last === '$') return resolve(Date.now())
        if (Date.now() > deadline) return resolve(-1)
        requestAnimationFrame(check)
      }
      check()
    })`) as Promise<number>, 65_000, 'the prompt after Ctrl-C')
    if (seenAt < 0)
      throw new Error(`no prompt within 60 s of Ctrl-C; screen:\n${(await screen(page)).join('\n')}`)
    const ctrlCMs = seenAt - t0
    const end = await readProbe(page)
    for (let i = 0; i < 10; i++) {
      rssPeakMb = Math.max(rssPeakMb, rssMb(slidev.pid))
      await sleep(100)
    }
    await collectGarbage(slidev.inspectPort!)
    const rssAfterMb = rssMb(slidev.pid)
    const floodBytes = atCtrlC.bytes - start.bytes
    await page.close()
    return {
      floodMs,
      ctrlCMs,
      rssBeforeMb: round(rssBeforeMb, 1),
      rssPeakMb: round(rssPeakMb, 1),
      rssAfterMb: round(rssAfterMb, 1),
      rssGrowthMb: round(rssAfterMb - rssBeforeMb, 1),
      floodBytes,
      floodMbps: round(floodBytes / 1e6 / (floodMs / 1000), 2),
      bytesAfterCtrlC: end.bytes - atCtrlC.bytes,
      acks: end.acks - start.acks,
      renderer,
    }
  }
  finally {
    await browser.close().catch(() => {})
    await slidev.stop()
  }
}
