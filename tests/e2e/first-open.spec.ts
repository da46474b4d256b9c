// The first open after `npm install`: a fresh copy of the deck (no Vite dependency cache) is
// started, and Chromium opens the title slide, then the first demo slide. Vite reloads a page
// when it discovers a dependency late (a reload drops a live terminal's session): every main-
// frame document request after the one we asked for is such a reload, and there must be none.
// The terminal's code is not loaded before the title slide shows.
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { DECK_ENV, DECK_PORT } from '../../playwright.config.ts'
import { pageLoads } from '../helpers/page-loads.ts'
import { createFreshDeck } from '../../dev/decks.ts'

const PORT = DECK_PORT + 7
const URL_ = `http://localhost:${PORT}`

async function waitForHttp(child: ChildProcess, ms: number): Promise<void> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`slidev exited with ${child.exitCode}`)
    if (await fetch(`${URL_}/`, { signal: AbortSignal.timeout(2_000) }).then(r => r.ok, () => false))
      return
    await new Promise(r => setTimeout(r, 500))
  }
  throw new Error(`the fresh deck did not answer within ${ms} ms`)
}

test('a fresh install opens the title and the first demo slide without reloading', async ({ page }) => {
  test.setTimeout(600_000)
  const deck = createFreshDeck()
  const slidev = spawn(process.execPath, [path.join(deck.dir, 'node_modules/.bin/slidev'), '--bind', '127.0.0.1', '--port', String(PORT)], {
    cwd: deck.dir,
    env: { ...process.env, ...DECK_ENV, BROWSER: 'none' },
    stdio: 'ignore',
  })
  try {
    await waitForHttp(slidev, 180_000)
    const loads = pageLoads(page)
    const terminalCode: string[] = []
    page.on('request', (r) => {
      if (/@xterm|LiveTerminal/.test(r.url()))
        terminalCode.push(r.url())
    })
    await page.goto(`${URL_}/1`, { timeout: 300_000 })
    await expect(page.locator('.slidev-page-1 h1').first()).toBeVisible({ timeout: 300_000 })
    // The title slide has no terminal: the terminal's code is not on its way (Slidev fetches the
    // other slides' modules, terminals included, only a few seconds after the first shows).
    expect(terminalCode).toEqual([])
    // A late discovery reloads within a few seconds of the page running: wait that long.
    await page.waitForTimeout(5_000)
    await page.goto(`${URL_}/shell`, { timeout: 300_000 })
    await expect(page.locator('.xterm').first()).toBeVisible({ timeout: 300_000 })
    await page.waitForTimeout(5_000)
    expect(loads).toEqual(['/1', '/shell'])
  }
  finally {
    slidev.kill('SIGTERM')
    await new Promise(r => slidev.exitCode !== null ? r(null) : slidev.once('exit', r))
    deck.remove()
  }
})
