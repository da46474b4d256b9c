/** The deck server goes away mid-talk and comes back: the terminal says so, then reconnects. */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { expect, test } from '@playwright/test'
import { DECK_ENV, DECK_PORT } from '../../playwright.config.ts'
import { DOM_RENDERER, screenText } from './screen.ts'

test.use({ launchOptions: DOM_RENDERER })

/** Its own deck server, next to the one the other browser tests use. */
const PORT = DECK_PORT + 1
const LIVE = '.live-terminal[data-status="live"]'

function startDeck(): ChildProcess {
  return spawn('./node_modules/.bin/slidev', ['--bind', '127.0.0.1', '--port', String(PORT)], { stdio: 'ignore', env: { ...process.env, ...DECK_ENV } })
}

async function stopDeck(deck: ChildProcess): Promise<void> {
  if (deck.exitCode !== null)
    return
  const exited = new Promise(r => deck.once('exit', r))
  deck.kill('SIGTERM')
  await exited
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  }
  catch {
    return false
  }
}

test('the terminal shows the server is gone, ends its shell, and reconnects when it is back', async ({ page }) => {
  test.setTimeout(180_000)
  let deck = startDeck()
  try {
    await expect.poll(() => fetch(`http://localhost:${PORT}/`).then(r => r.ok, () => false), { timeout: 60_000 }).toBe(true)
    await page.goto(`http://localhost:${PORT}/shell`)
    await expect(page.locator(LIVE)).toBeVisible({ timeout: 60_000 }) // a cold server optimises deps first
    await page.locator(`${LIVE} .live-terminal__screen`).click()
    await page.keyboard.type('echo "pid=$$"')
    await page.keyboard.press('Enter')
    const read = () => screenText(page.locator(LIVE))
    await expect.poll(read).toMatch(/^pid=\d+/m)
    const shell = Number((await read()).match(/^pid=(\d+)/m)![1])
    expect(alive(shell)).toBe(true)

    await stopDeck(deck)
    expect(alive(shell)).toBe(false) // the server ended the session's shell before it exited
    const terminal = page.locator('.live-terminal[data-demo="shell"]').locator('visible=true')
    await expect(terminal).toHaveAttribute('data-status', 'offline')
    await expect(terminal.locator('.live-terminal__status')).toHaveText('터미널 서버 없음')

    deck = startDeck()
    await expect(page.locator(LIVE)).toBeVisible({ timeout: 60_000 })
    await expect.poll(read).toMatch(/\$ *$/m)
  }
  finally {
    await stopDeck(deck)
  }
})
