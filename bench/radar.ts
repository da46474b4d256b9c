/**
 * The radar's `step.doneDetectMs`: in the presenter view (real Chromium, real deck and bridge, a
 * real shell), from the moment a step's expected output is drawn in the terminal to the moment
 * the panel shows that step done. Both moments are taken in the page, by one MutationObserver,
 * so the clocks are the same.
 */
import { RECORDING_FILE } from '../common/asciicast.ts'
import { createDemoDeck } from '../dev/decks.ts'
import { recordingWithStepTimes } from '../dev/recordings.ts'
import { startSlidev } from '../dev/slidev.ts'
import { launchChromium, median, percentile, progress, round } from './lib.ts'

export interface RadarResult { steps: number, doneDetectMs: number, doneDetectP95Ms: number, doneDetectMaxMs: number, all: number[] }

const STEPS = 12
const DEMO = 'bench-radar'

function demoFiles(): Record<string, string> {
  const steps = Array.from({ length: STEPS }, (_, i) => [
    `  - type: sleep 0.3; echo done-$((${i + 1}*7))`,
    `    expect: ^done-${(i + 1) * 7}$`,
  ].join('\n'))
  const rehearsed = recordingWithStepTimes(Array.from({ length: STEPS }, () => 1000)) // never late here
  return { 'demo.yaml': `title: radar bench\nsteps:\n${steps.join('\n')}\n`, [RECORDING_FILE]: rehearsed }
}

/** In the page: resolves with [drawn, shown] (performance.now()) for step `n`'s expected text. */
function watchStep([n, text]: [number, string]): Promise<[number, number]> {
  return new Promise((resolve) => {
    let drawn: number | undefined
    const check = () => {
      const t = performance.now()
      const rows = document.querySelector('.live-terminal .xterm-rows')?.textContent ?? ''
      if (drawn === undefined && rows.includes(text))
        drawn = t
      const li = document.querySelectorAll('.demo-panel__steps li')[n - 1]
      if (drawn !== undefined && li?.getAttribute('data-radar') === 'done') {
        observer.disconnect()
        resolve([drawn, t])
      }
    }
    const observer = new MutationObserver(check)
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
    check()
  })
}

export async function measureRadar(): Promise<RadarResult> {
  const deck = createDemoDeck(DEMO, demoFiles())
  const slidev = await startSlidev({ cwd: deck.dir, args: ['--bind', '127.0.0.1'] })
  const browser = await launchChromium()
  try {
    await slidev.ready()
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await page.goto(`${slidev.url}/presenter/2`, { timeout: 300_000 })
    await page.locator('.live-terminal[data-status="live"]').first().waitFor({ timeout: 300_000 })
    const all: number[] = []
    for (let n = 1; n <= STEPS; n++) {
      // As source, with the helper tsx's keep-names transform expects (it is not in the page).
      const watched = page.evaluate(`(() => { const __name = f => f; return (${watchStep.toString()})(${JSON.stringify([n, `done-${n * 7}`])}) })()`) as Promise<[number, number]>
      await page.keyboard.press('ArrowRight')
      const [drawn, shown] = await watched
      all.push(round(shown - drawn, 1))
    }
    progress(`  step done on screen → panel: ${all.join(', ')} ms`)
    return { steps: STEPS, doneDetectMs: median(all), doneDetectP95Ms: percentile(all, 95), doneDetectMaxMs: Math.max(...all), all }
  }
  finally {
    await browser.close()
    await slidev.stop()
    deck.remove()
  }
}
