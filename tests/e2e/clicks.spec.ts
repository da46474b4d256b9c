/**
 * One clicker drives slides and demos (real Chromium, real deck, real shells): a demo slide's
 * clicks are its steps. The `shell` demo has two steps: `echo "안녕하세요, ..."` and `uname -sr`.
 */
import type { Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { DOM_RENDERER, screenText } from './screen.ts'

test.use({ launchOptions: DOM_RENDERER })

const SHELL = '.live-terminal[data-demo="shell"]'
const GREETING = /^안녕하세요, 쿠버네티스 기초입니다\s*$/m
const UNAME = /^Linux \S+\s*$/m

const slideNo = (page: Page) => page.evaluate(() => (window as unknown as { __slidev__: { nav: { currentSlideNo: number } } }).__slidev__.nav.currentSlideNo)

/** Opens the shell slide on a fresh shell, with the keys going to the deck, not the terminal. */
async function openShell(page: Page) {
  await page.goto('/shell')
  const live = page.locator(`${SHELL}[data-status="live"]`)
  await expect(live).toBeVisible({ timeout: 60_000 })
  await page.mouse.click(5, 5)
  await page.keyboard.press('Shift+R') // a shell no earlier test has typed into
  await expect.poll(() => screenText(live)).toMatch(/^\$ *$/m)
  await expect(live).toHaveAttribute('data-step', '0')
  return live
}

test('a clicker\'s "next" types the next step, its output appears, and after the last step the slide advances', async ({ page }) => {
  const live = await openShell(page)
  const slide = await slideNo(page)
  await page.keyboard.press('PageDown')
  await expect.poll(() => screenText(live)).toMatch(GREETING)
  await expect(live).toHaveAttribute('data-step', '1')
  expect(await slideNo(page)).toBe(slide)

  await page.keyboard.press('ArrowRight')
  await expect.poll(() => screenText(live)).toMatch(UNAME)
  await expect(live).toHaveAttribute('data-step', '2')
  expect(await slideNo(page)).toBe(slide)

  // "previous" moves the highlight back and types nothing; "next" moves it forward again
  await page.keyboard.press('ArrowLeft')
  await expect(live).toHaveAttribute('data-step', '1')
  await page.keyboard.press('ArrowRight')
  await expect(live).toHaveAttribute('data-step', '2')
  await page.waitForTimeout(500)
  expect((await screenText(live)).match(/uname -sr/g)).toHaveLength(1)

  await page.keyboard.press(' ')
  await expect.poll(() => slideNo(page)).toBe(slide + 1)
})

test('two quick clicks do not interleave: the second step waits for the first', async ({ page }) => {
  const live = await openShell(page)
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => screenText(live), { timeout: 20_000 }).toMatch(UNAME)
  const lines = (await screenText(live)).split('\n').map(l => l.trimEnd())
  // each command typed whole on its own prompt line, in order, each followed by its output
  const echo = lines.findIndex(l => l === '$ echo "안녕하세요, 쿠버네티스 기초입니다"')
  const greeting = lines.findIndex(l => GREETING.test(l))
  const uname = lines.findIndex(l => l === '$ uname -sr')
  expect(echo, lines.join('\n')).toBeGreaterThanOrEqual(0)
  expect(greeting).toBe(echo + 1)
  expect(uname).toBe(greeting + 1)
  expect(lines[uname + 1]).toMatch(UNAME)
})

test('"next" on the last step waits while its command runs, then leaves the slide', async ({ page }) => {
  const live = await openShell(page)
  const slide = await slideNo(page)
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => screenText(live)).toMatch(GREETING)
  await page.keyboard.press('ArrowRight') // the last step starts typing
  await page.keyboard.press('ArrowRight') // too early: held, the step is still typing
  expect(await slideNo(page)).toBe(slide)
  await expect.poll(() => screenText(live)).toMatch(UNAME)
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => slideNo(page)).toBe(slide + 1)
})

test('the fallback resumes where the talk is: at step k the recording shows step k, and "next" plays step k+1', async ({ page }) => {
  const live = await openShell(page)
  const slide = await slideNo(page)
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => screenText(live)).toMatch(GREETING)

  await page.keyboard.press('l')
  const terminal = page.locator(`.slidev-page-${slide} ${SHELL}`)
  await expect(terminal).toHaveAttribute('data-status', 'recording')
  await expect.poll(() => screenText(terminal)).toMatch(GREETING)
  expect(await screenText(terminal)).not.toContain('uname') // step 2 is not shown yet

  await page.keyboard.press('ArrowRight')
  await expect.poll(() => screenText(terminal)).toMatch(UNAME) // step 2, from the recording
  await expect(terminal).toHaveAttribute('data-step', '2')
  expect(await slideNo(page)).toBe(slide)

  await page.keyboard.press('l') // back to the live shell, which had only step 1
  await expect(terminal).toHaveAttribute('data-status', 'live')
  await expect.poll(() => screenText(terminal)).toMatch(GREETING)
  expect(await screenText(terminal)).not.toContain('uname')
})

test('back one slide and forward again: the demo is where it was, and "next" types the step after', async ({ page }) => {
  const live = await openShell(page)
  const slide = await slideNo(page)
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => screenText(live)).toMatch(GREETING)

  // The demo stays prepared (pre-joined) while its slide is just ahead, so its shell goes on.
  await page.evaluate(`__slidev__.nav.go(${slide - 1})`)
  await page.evaluate(`__slidev__.nav.go(${slide})`)
  const terminal = page.locator(`.slidev-page-${slide} ${SHELL}`)
  await expect(terminal).toHaveAttribute('data-step', '1')
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => screenText(terminal)).toMatch(UNAME)
  await expect(terminal).toHaveAttribute('data-step', '2')
  const text = await screenText(terminal)
  expect(text.match(/안녕하세요, 쿠버네티스 기초입니다$/gm), text).toHaveLength(1)
  expect(text.match(/uname -sr/g), text).toHaveLength(1)
})
