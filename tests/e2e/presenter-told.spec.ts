/**
 * The presenter is told (real Chromium, real deck, real shells): a shell killed by a signal
 * shows the signal; `R` in the recording view resets the demo and goes live, or says why it
 * cannot; a server that stops answering shows `응답 없음` within two heartbeats (5 s each),
 * and `라이브` again once it is back.
 */
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { startDeck } from '../helpers/deck-server.ts'
import { DOM_RENDERER, screenText } from './screen.ts'
import { freePort } from '../../dev/ports.ts'

test.use({ launchOptions: DOM_RENDERER })

const SHELL = '.live-terminal[data-demo="shell"]'
/** The bridge's heartbeat (server/bridge/bridge.ts); silence is told after two. */
const HEARTBEAT_MS = 5000

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  }
  catch {
    return false
  }
}

/** The terminal of the slide on screen, live, with its shell's pid. */
async function liveShell(page: Page, url: string): Promise<{ terminal: Locator, pid: number }> {
  await page.goto(url)
  const terminal = page.locator(SHELL).locator('visible=true')
  await expect(terminal).toHaveAttribute('data-status', 'live', { timeout: 60_000 })
  return { terminal, pid: await shellPid(page, terminal) }
}

async function shellPid(page: Page, terminal: Locator): Promise<number> {
  await terminal.locator('.live-terminal__screen').click()
  const mark = `pid${Date.now()}`
  await page.keyboard.type(`echo "${mark}=$$"`)
  await page.keyboard.press('Enter')
  await expect.poll(() => screenText(terminal)).toMatch(new RegExp(`^${mark}=\\d+`, 'm'))
  await page.mouse.click(5, 5) // the keys go back to the deck
  return Number((await screenText(terminal)).match(new RegExp(`^${mark}=(\\d+)`, 'm'))![1])
}

const status = (terminal: Locator) => terminal.locator('.live-terminal__status')

test('a shell killed by a signal shows the signal', async ({ page }) => {
  const { terminal, pid } = await liveShell(page, '/shell')
  process.kill(pid, 'SIGKILL')
  await expect(status(terminal)).toHaveText('종료됨 (SIGKILL)')
  await page.keyboard.press('Shift+R') // and R brings a fresh shell
  await expect(status(terminal)).toHaveText('라이브')
})

test('R in the recording view resets the demo and goes live', async ({ page }) => {
  const { terminal, pid } = await liveShell(page, '/shell')
  await page.keyboard.press('l')
  await expect(terminal).toHaveAttribute('data-status', 'recording')
  expect(alive(pid)).toBe(true) // prepared ahead: the session outlives this window's switch
  await page.keyboard.press('Shift+R')
  await expect(terminal).toHaveAttribute('data-status', 'live')
  await expect.poll(() => alive(pid)).toBe(false) // reset: that shell is gone
  expect(await shellPid(page, terminal)).not.toBe(pid)
  await expect(status(terminal)).toHaveText('라이브')
})

test('R in the recording view of a demo this machine cannot run says why, and the recording stays', async ({ page }) => {
  await page.goto('/docker-basics') // the test deck has no Docker engine (DECK_ENV)
  const terminal = page.locator('.live-terminal[data-demo="docker-basics"]').locator('visible=true')
  await expect(terminal).toHaveAttribute('data-status', 'recording', { timeout: 60_000 })
  await page.mouse.click(5, 5)
  await page.keyboard.press('Shift+R')
  await expect(status(terminal)).toHaveText(/^라이브로 돌아갈 수 없음: .*docker 없음/, { timeout: 30_000 })
  await expect(terminal).toHaveAttribute('data-status', 'recording')
})

test('a server that stops answering is shown within two heartbeats, and live again when it is back; R without a server says so', async ({ page }) => {
  test.setTimeout(240_000)
  const deck = await startDeck({ demo: 'shell', port: await freePort() })
  let stopped = false
  try {
    const { terminal } = await liveShell(page, `${deck.origin}/4`)
    process.kill(deck.pid, 'SIGSTOP')
    stopped = true
    const frozeAt = Date.now()
    await expect(status(terminal)).toHaveText('응답 없음', { timeout: 2 * HEARTBEAT_MS + 10_000 })
    const toldAfter = Date.now() - frozeAt
    expect(toldAfter).toBeLessThanOrEqual(2 * HEARTBEAT_MS + 3000)
    await expect(terminal).toHaveAttribute('data-status', 'silent')
    console.log(`silence told after ${toldAfter} ms`)

    process.kill(deck.pid, 'SIGCONT')
    stopped = false
    const resumedAt = Date.now()
    await expect(status(terminal)).toHaveText('라이브', { timeout: 2 * HEARTBEAT_MS + 10_000 })
    console.log(`live again ${Date.now() - resumedAt} ms after the server resumed`)

    await page.keyboard.press('l')
    await expect(terminal).toHaveAttribute('data-status', 'recording')
    await deck.close()
    await page.keyboard.press('Shift+R')
    await expect(status(terminal)).toHaveText('라이브로 돌아갈 수 없음: 터미널 서버 없음')
    await expect(terminal).toHaveAttribute('data-status', 'recording')
  }
  finally {
    if (stopped)
      process.kill(deck.pid, 'SIGCONT')
    await deck.close()
  }
})
