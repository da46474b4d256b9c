/**
 * Flood recovery in a real browser: the deck's /shell slide in headless Chromium, `yes` for
 * 5 s, then Ctrl-C. Measured: milliseconds from the key press until the prompt is back on
 * screen (the terminal's own screen text, checked every animation frame in the page), and the
 * slidev process's RSS before, at peak during, and after the flood (before and after are read
 * right after a full GC through the inspector, so they compare live memory). A WebSocket probe
 * in the page counts the output bytes and acks, to tell where the time goes.
 */
import type { Page } from 'playwright-core'
import type { Slidev } from '../dev/slidev.ts'
import { collectGarbage, launchChromium, median, progress, REPO, round } from './lib.ts'
import { rssMb } from './processes.ts'
import { screenRows } from '../dev/dom-screen.ts'
import { startSlidev } from '../dev/slidev.ts'
import { sleep, waitFor, within } from '../dev/wait.ts'

export interface FloodRound {
  ctrlCMs: number
  /** Output delivered to the page while `yes` ran. */
  floodBytes: number
  /** Output that still arrived after Ctrl-C, before the prompt. */
  bytesAfterCtrlC: number
  /** Received by the page but not yet rendered (acked) when Ctrl-C was pressed. */
  pageBacklogAtCtrlC: number
  /** Rendered (acked) by the page while `yes` ran, MB/s. */
  renderedMbps: number
  acks: number
}

export interface FloodResult {
  floodMs: number
  rounds: number
  /** Median over the rounds; the goal is checked against the worst (ctrlCMaxMs). */
  ctrlCMs: number
  ctrlCMaxMs: number
  rssBeforeMb: number
  rssPeakMb: number
  rssAfterMb: number
  rssGrowthMb: number
  renderedMbps: number
  renderer: string
  /** WebGL's renderer string (e.g. SwiftShader when headless without a GPU). */
  glRenderer: string
  all: FloodRound[]
}

interface Probe { bytes: number, frames: number, acks: number, ackedBytes: number, loadedAt: number }

/**
 * Runs in the page before any script: counts the terminal socket's output and acks. A string,
 * not a function: tsx would add helpers to a function's source that the page doesn't have.
 */
const PROBE = `(() => {
  const probe = { bytes: 0, frames: 0, acks: 0, ackedBytes: 0, loadedAt: Date.now() }
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
        if (typeof data === 'string' && data.includes('"ack"')) {
          probe.acks++
          probe.ackedBytes += JSON.parse(data).bytes
        }
        send(data)
      }
    }
  }
})()`

const readProbe = (page: Page) => page.evaluate('({ ...window.__benchProbe })') as Promise<Probe>

const SEL = '.live-terminal'

/** The terminal's rows as text. */
function screen(page: Page): Promise<string[]> {
  return page.evaluate(`(${screenRows})(document.querySelector(${JSON.stringify(`${SEL} .xterm-rows`)}))`) as Promise<string[]>
}

/** The last non-blank row is the bare prompt `$ ` (xterm keeps written spaces, so trim them). */
const promptBack = (rows: string[]) => rows.map(r => r.trimEnd()).filter(r => r !== '').at(-1) === '$'

/**
 * Opens /shell and waits until the terminal is live with a prompt on screen, and stays so for
 * 3 s in the same page load (Vite may reload the page once after optimizing dependencies).
 */
async function openShellSlide(page: Page, s: Slidev): Promise<void> {
  await page.goto(`${s.url}/shell`, { waitUntil: 'load', timeout: 120_000 })
  let last = { status: null as string | null, rows: [] as string[], loadedAt: 0 }
  let steadySince: { loadedAt: number, at: number } | undefined
  try {
    await waitFor(async () => {
      last = {
        status: await page.$eval(SEL, el => el.getAttribute('data-status')).catch(() => null),
        rows: await screen(page).catch(() => []),
        loadedAt: await readProbe(page).then(p => p.loadedAt, () => 0),
      }
      if (!(last.status === 'live' && promptBack(last.rows))) {
        steadySince = undefined
        return false
      }
      if (steadySince?.loadedAt !== last.loadedAt)
        steadySince = { loadedAt: last.loadedAt, at: Date.now() }
      return Date.now() - steadySince.at >= 3_000
    }, 'the /shell terminal to be live with a prompt', 120_000, 100)
  }
  catch (err) {
    throw new Error(`${(err as Error).message}; status ${last.status}, screen:\n${last.rows.join('\n')}\nslidev:\n${s.output().slice(-1500)}`)
  }
}

const PROMPT_SEEN = `new Promise((resolve) => {
  const deadline = Date.now() + 60000
  const check = () => {
    const rows = (${screenRows})(document.querySelector(${JSON.stringify(`${SEL} .xterm-rows`)}))
    const last = rows.map(r => r.trimEnd()).filter(r => r !== '').at(-1)
    if (last === '$') return resolve(Date.now())
    if (Date.now() > deadline) return resolve(-1)
    requestAnimationFrame(check)
  }
  check()
})`

/** One `yes` flood and Ctrl-C; the screen is checked every animation frame in the page. */
async function floodRound(page: Page, floodMs: number, onTick: () => void): Promise<FloodRound> {
  const start = await readProbe(page)
  await page.keyboard.type('yes\n')
  const until = Date.now() + floodMs
  while (Date.now() < until) {
    onTick()
    await sleep(100)
  }
  const atCtrlC = await readProbe(page)
  const t0 = Date.now()
  await page.keyboard.press('Control+C')
  const seenAt = await within(page.evaluate(PROMPT_SEEN) as Promise<number>, 65_000, 'the prompt after Ctrl-C')
  if (seenAt < 0)
    throw new Error(`no prompt within 60 s of Ctrl-C; screen:\n${(await screen(page)).join('\n')}`)
  const end = await readProbe(page)
  if (end.loadedAt !== start.loadedAt || atCtrlC.bytes - start.bytes < 10_000)
    throw new Error(`the flood did not reach the page (${atCtrlC.bytes - start.bytes} bytes; page reloaded: ${end.loadedAt !== start.loadedAt})`)
  return {
    ctrlCMs: seenAt - t0,
    floodBytes: atCtrlC.bytes - start.bytes,
    bytesAfterCtrlC: end.bytes - atCtrlC.bytes,
    pageBacklogAtCtrlC: atCtrlC.bytes - atCtrlC.ackedBytes,
    renderedMbps: round((atCtrlC.ackedBytes - start.ackedBytes) / 1e6 / (floodMs / 1000), 2),
    acks: end.acks - start.acks,
  }
}

export async function measureFlood(floodMs = 5_000, rounds = 3): Promise<FloodResult> {
  const browser = await launchChromium()
  const slidev = await startSlidev({ cwd: REPO, args: ['--bind', '127.0.0.1'], inspect: true })
  try {
    await slidev.ready()
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.addInitScript(PROBE)
    await openShellSlide(page, slidev)
    const renderer = await page.$eval(SEL, el => el.querySelector('canvas') ? 'webgl' : 'dom')
    const glRenderer = await page.evaluate(`(() => {
      const gl = document.createElement('canvas').getContext('webgl2')
      const ext = gl && gl.getExtension('WEBGL_debug_renderer_info')
      return gl ? String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : 'none'
    })()`) as string
    progress(`  flood: /shell is live (${renderer} renderer, ${glRenderer.slice(0, 60)}); slidev pid ${slidev.pid}`)
    await page.click(`${SEL} .xterm`)
    await sleep(1_000)
    await collectGarbage(slidev.inspectPort!) // RSS then counts live memory, not GC timing
    const rssBeforeMb = rssMb(slidev.pid)
    let rssPeakMb = rssBeforeMb
    const tick = () => {
      rssPeakMb = Math.max(rssPeakMb, rssMb(slidev.pid))
    }
    const all: FloodRound[] = []
    for (let i = 0; i < rounds; i++) {
      const r = await floodRound(page, floodMs, tick)
      all.push(r)
      progress(`  flood ${i + 1}/${rounds}: Ctrl-C → prompt ${r.ctrlCMs} ms; ${r.renderedMbps} MB/s rendered, ${r.bytesAfterCtrlC} B arrived after Ctrl-C, ${r.pageBacklogAtCtrlC} B unrendered in the page`)
      for (let j = 0; j < 10; j++) {
        tick()
        await sleep(100)
      }
    }
    await collectGarbage(slidev.inspectPort!)
    const rssAfterMb = rssMb(slidev.pid)
    await page.close()
    const times = all.map(r => r.ctrlCMs)
    return {
      floodMs,
      rounds,
      ctrlCMs: median(times),
      ctrlCMaxMs: Math.max(...times),
      rssBeforeMb: round(rssBeforeMb, 1),
      rssPeakMb: round(rssPeakMb, 1),
      rssAfterMb: round(rssAfterMb, 1),
      rssGrowthMb: round(rssAfterMb - rssBeforeMb, 1),
      renderedMbps: median(all.map(r => r.renderedMbps)),
      renderer,
      glRenderer,
      all,
    }
  }
  finally {
    await browser.close().catch(() => {})
    await slidev.stop()
  }
}
