/**
 * One window answers the terminal's queries. With the projector and the presenter both open,
 * each window's xterm.js answers a program's DA query (`\e[c`); the program reads one reply and
 * the other reached the prompt as typed text (`1;2c`). Now only the first control window
 * answers, and when it closes the next one does.
 */
import type { Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { DOM_RENDERER, screenText } from './screen.ts'

test.use({ launchOptions: DOM_RENDERER })

const LIVE = '.live-terminal[data-status="live"]'
const screen = (page: Page) => screenText(page.locator(LIVE))

async function typeInto(page: Page, text: string) {
  await page.locator(`${LIVE} .live-terminal__screen`).click()
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
}

/**
 * Asks the terminal for its attributes, reads exactly one reply (up to its final `c`), waits
 * long enough for any second reply to arrive, then runs a marker command: its line on screen
 * shows whether anything stray reached the prompt before it.
 */
async function askOnce(page: Page, marker: string) {
  await typeInto(page, `printf '\\033[c'; IFS= read -rs -d c -t 5 r; echo "got=\${r:1}c"; sleep 1`)
  await expect.poll(() => screen(page), { timeout: 20_000 }).toMatch(/^got=\[\?1;2c$/m)
  await expect.poll(() => screen(page)).toMatch(/^got=.*\n\$ *$/m)
  await typeInto(page, `echo ${marker}-$((6*7))`)
  await expect.poll(() => screen(page)).toMatch(new RegExp(`^${marker}-42$`, 'm'))
  const text = await screen(page)
  // The marker's command line is exactly what was typed: no reply came before it.
  expect(text).toMatch(new RegExp(`^\\$ echo ${marker}-\\$\\(\\(6\\*7\\)\\)$`, 'm'))
  expect(text.match(/1;2c/g)).toHaveLength(1) // the one reply the program read
  expect(text).not.toContain('command not found')
}

test('with two control windows on one demo, one reply reaches the program and none the prompt; the next window answers once the first closes', async ({ page, context }) => {
  test.setTimeout(180_000)
  await page.goto('/shell')
  await expect(page.locator(LIVE)).toBeVisible({ timeout: 60_000 })
  await expect.poll(() => screen(page)).toMatch(/\$ *$/m)
  const slide = await page.evaluate(() => (window as unknown as { __slidev__: { nav: { currentSlideNo: number } } }).__slidev__.nav.currentSlideNo)
  const presenter = await context.newPage()
  await presenter.goto(`/presenter/${slide}`)
  await expect(presenter.locator(LIVE)).toHaveCount(1, { timeout: 60_000 })
  await typeInto(page, 'clear')
  await askOnce(page, 'first')

  // The projector goes: the presenter's window answers now (one reply, none stray).
  await page.close()
  await typeInto(presenter, 'clear')
  await askOnce(presenter, 'second')
})
