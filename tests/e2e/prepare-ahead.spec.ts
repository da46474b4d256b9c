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

test('a demo prepared ahead shows its live prompt on arrival, without "준비 중"', async ({ page }) => {
  test.setTimeout(6 * 60_000)
  await page.goto('/1')
  await page.waitForFunction(() => Boolean((window as unknown as { __slidev__?: unknown }).__slidev__), undefined, { timeout: 60_000 })
  const no = await page.evaluate(d => (window as unknown as { __slidev__: { nav: { slides: { no: number, meta: { slide: { frontmatter: { routeAlias?: string } } } }[] } } })
    .__slidev__.nav.slides.find(s => s.meta.slide.frontmatter.routeAlias === d)!.no, DEMO)
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
  await watchStatuses(page)
  await go(page, no)
  const presenterLive = page.locator(`.slidev-page-${no} ${TERMINAL}`).first()
  await expect(presenterLive).toHaveAttribute('data-status', 'live', { timeout: 5_000 })
  await expect.poll(() => screenText(presenterLive), { timeout: 2_000 }).toMatch(/# *$/m)
  // The slide's terminal joined the session while hidden: arriving opens no new connection.
  expect(await seen(page)).not.toContain('준비 중…')
  expect(await seen(page)).not.toContain('연결 중…')
})
