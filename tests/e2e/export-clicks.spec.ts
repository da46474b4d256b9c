// `npm run export -- --with-clicks`: a demo slide gets one PDF page per step, each with the
// recorded screen after that step as text. The pages are read with pdftotext, found by the demo
// layout's badge (`demo · <id>`), and compared with the recording's screens computed in a
// headless terminal (recorded-screen.ts).
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

test('the PDF with clicks has a page per step, each showing the recorded screen after that step', async () => {
  test.setTimeout(20 * 60_000)
  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }
  const dir = await mkdtemp(join(tmpdir(), 'deck-pdf-clicks-'))
  try {
    const pdf = join(dir, 'deck.pdf')
    const command = `${pkg.scripts.export!.replace(/--output\s+\S+/, `--output ${pdf}`)} --with-clicks`
    await run('sh', ['-c', command], { env: { ...process.env, PATH: `${join(process.cwd(), 'node_modules', '.bin')}:${process.env.PATH}` }, timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 })
    const pages = (await run('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 })).stdout.split('\f')

    for (const demo of DEMOS) {
      const mine = pages.filter(p => p.includes(`demo · ${demo}`)).map(squash)
      const steps = recordedSteps(demo)
      expect(mine, `${demo}: one page per step and one before the first`).toHaveLength(steps + 1)
      for (let k = 0; k <= steps; k++) {
        const screen = await recordedScreen(demo, k)
        // the screen's last rows (the last command's output and the prompt) are on its page
        for (const row of screen.slice(-3))
          expect(mine[k], `${demo}, page of step ${k}: ${row}`).toContain(squash(row))
        // and the next step's command is not (it has not been typed yet)
        const next = (await recordedScreen(demo, k + 1)).find(r => !screen.includes(r))
        if (k < steps && next)
          expect(mine[k], `${demo}, page of step ${k} shows step ${k + 1}`).not.toContain(squash(next))
      }
    }
  }
  finally {
    await rm(dir, { recursive: true, force: true })
  }
})
