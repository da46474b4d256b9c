// `npm run export -- --with-clicks`: a demo slide gets one PDF page per step, each with the
// recorded screen after that step as text. Only the demo slides are exported (--range), to
// keep it short; the pages are read with pdftotext and compared with the recording's screens
// computed in a headless terminal (recorded-screen.ts).
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from '@playwright/test'
import { recordedScreen, recordedSteps } from './recorded-screen.ts'

const run = promisify(execFile)
const squash = (s: string) => s.replace(/\s+/g, '')
const DEMOS = ['shell', 'same-kernel']

test('the PDF with clicks has a page per step, each showing the recorded screen after that step', async ({ page }) => {
  test.setTimeout(15 * 60_000)
  const slides: number[] = []
  for (const demo of DEMOS) {
    await page.goto(`/${demo}`)
    await page.waitForFunction(() => Boolean((window as unknown as { __slidev__?: unknown }).__slidev__), undefined, { timeout: 60_000 })
    slides.push(await page.evaluate(() => (window as unknown as { __slidev__: { nav: { currentSlideNo: number } } }).__slidev__.nav.currentSlideNo))
  }

  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }
  const dir = await mkdtemp(join(tmpdir(), 'deck-pdf-clicks-'))
  try {
    const pdf = join(dir, 'deck.pdf')
    const command = `${pkg.scripts.export!.replace(/--output\s+\S+/, `--output ${pdf}`)} --with-clicks --range ${slides.join(',')}`
    await run('sh', ['-c', command], { env: { ...process.env, PATH: `${join(process.cwd(), 'node_modules', '.bin')}:${process.env.PATH}` }, timeout: 12 * 60_000, maxBuffer: 64 * 1024 * 1024 })
    const pages = (await run('pdftotext', ['-enc', 'UTF-8', '-layout', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 })).stdout.split('\f')

    let at = 0
    for (const demo of DEMOS) {
      const steps = recordedSteps(demo)
      for (let k = 0; k <= steps; k++) {
        const text = squash(pages[at + k] ?? '')
        const screen = await recordedScreen(demo, k)
        // the screen's last rows (the last command's output and the prompt) are on its page
        for (const row of screen.slice(-3))
          expect(text, `${demo}, page of step ${k}: ${row}`).toContain(squash(row))
        // and the next step's command is not (it has not been typed yet)
        const next = (await recordedScreen(demo, k + 1)).find(r => !screen.includes(r))
        if (k < steps && next)
          expect(text, `${demo}, page of step ${k} shows step ${k + 1}`).not.toContain(squash(next))
      }
      at += steps + 1
    }
    expect(pages.filter(p => p.trim()).length).toBe(at)
  }
  finally {
    await rm(dir, { recursive: true, force: true })
  }
})
