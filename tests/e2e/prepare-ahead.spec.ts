/**
 * Ready on arrival: a demo a few slides ahead is prepared in the background, and its slide's
 * terminal draws it while hidden, so reaching the slide shows a live prompt at once.
 * `same-kernel` builds a root filesystem in its setup (tens of seconds, it needs root: the test
 * deck runs as root here), so arriving cold shows "준비 중…".
 */
import type { Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { DOM_RENDERER, screenText } from './screen.ts'

test.use({ launchOptions: DOM_RENDERER })

const DEMO = 'same-kernel'
const TERMINAL = `.live-terminal[data-demo="${DEMO}"]`

/** Every status text any same-kernel terminal shows from now on, in the page. */
const watchStatuses = (page: Page) => page.evaluate((sel) => {
  const w = window as unknown as { seen: string[] }
  w.seen = []
  new MutationObserver(() => {
    for (const el of document.querySelectorAll(`${sel} .live-terminal__status`)) {
      const t = el.textContent ?? ''
      if (w.seen.at(-1) !== t)
        w.seen.push(t)
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true })
}, TERMINAL)
const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: string[] }).seen)
const go = (page: Page, no: number | string) => page.evaluate(`__slidev__.nav.go(${no})`)

/** Opens the deck and answers the number of the demo's slide. */
async function demoSlide(page: Page): Promise<number> {
  await page.goto('/1')
  await page.waitForFunction(() => Boolean((window as unknown as { __slidev__?: unknown }).__slidev__), undefined, { timeout: 60_000 })
  return page.evaluate(d => (window as unknown as { __slidev__: { nav: { slides: { no: number, meta: { slide: { frontmatter: { routeAlias?: string } } } }[] } } })
    .__slidev__.nav.slides.find(s => s.meta.slide.frontmatter.routeAlias === d)!.no, DEMO)
}

test('a demo prepared ahead shows its live prompt on arrival, without "준비 중"', async ({ page }) => {
  test.setTimeout(6 * 60_000)
  const no = await demoSlide(page)
  const live = page.locator(`.slidev-page-${no} ${TERMINAL}`)

  // cold: jumping onto the slide from far away, the presenter and audience wait for setup
  await watchStatuses(page)
  await go(page, no)
  await expect(live).toHaveAttribute('data-status', 'live', { timeout: 60_000 })
  await expect.poll(() => screenText(live), { timeout: 180_000 }).toMatch(/# *$/m)
  expect(await seen(page)).toContain('준비 중…')

  // warm: on the slide before, the demo is prepared in the background; the presenter sees it
  await go(page, '__slidev__.nav.total') // every session ends
  await page.goto(`/presenter/${no - 1}`)
  await expect(page.locator(`.prepare-status [data-demo="${DEMO}"]`)).toHaveAttribute('data-phase', 'running', { timeout: 180_000 })
  // Drawn ahead, yet hidden: the slide shown is the one before, and it alone takes the clicks.
  const ahead = page.locator(`.slidev-page-${no}`).first()
  await expect(ahead).toBeHidden()
  await expect(page.locator(`.slidev-page-${no - 1}`).first()).toBeVisible()
  const hit = await page.evaluate(n => [[0.5, 0.5], [0.3, 0.7], [0.7, 0.3]].map(([x, y]) =>
    document.elementFromPoint(innerWidth * x!, innerHeight * y!)?.closest(`.slidev-page-${n}`) !== null), no)
  expect(hit).toEqual([false, false, false])
  // ... and its prompt is already drawn, so arriving only has to show it.
  await expect.poll(() => screenText(ahead.locator(TERMINAL)), { timeout: 5_000 }).toMatch(/# *$/m)
  await watchStatuses(page)
  await go(page, no)
  const presenterLive = page.locator(`.slidev-page-${no} ${TERMINAL}`).first()
  await expect(presenterLive).toHaveAttribute('data-status', 'live', { timeout: 5_000 })
  await expect.poll(() => screenText(presenterLive), { timeout: 2_000 }).toMatch(/# *$/m)
  // The slide's terminal joined the session while hidden: arriving opens no new connection.
  expect(await seen(page)).not.toContain('준비 중…')
  expect(await seen(page)).not.toContain('연결 중…')
})

test('passing a slide for a moment does not start the demo ahead of it', async ({ page }) => {
  // Every demo the page says hello to, in order.
  await page.addInitScript(() => {
    const w = window as unknown as { hellos: string[] }
    w.hellos = []
    const send = WebSocket.prototype.send
    WebSocket.prototype.send = function (data) {
      if (typeof data === 'string' && data.includes('"hello"'))
        w.hellos.push((JSON.parse(data) as { demo: string }).demo)
      return send.call(this, data)
    }
  })
  const no = await demoSlide(page)
  await go(page, no - 3) // the demo is 3 slides ahead: outside the window
  await page.waitForTimeout(2_000)
  await go(page, no - 2) // now it is inside, but only for a moment
  await page.waitForTimeout(200)
  await go(page, no - 3)
  await page.waitForTimeout(3_000)
  expect(await page.evaluate(() => (window as unknown as { hellos: string[] }).hellos)).not.toContain(DEMO)

  await go(page, no - 2) // staying: it is prepared
  await expect.poll(() => page.evaluate(() => (window as unknown as { hellos: string[] }).hellos), { timeout: 10_000 }).toContain(DEMO)
})
