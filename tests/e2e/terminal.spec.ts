/** The live terminal in a real Chromium against the real deck server (see playwright.config.ts). */
import type { Page } from '@playwright/test'
import http from 'node:http'
import { expect, test } from '@playwright/test'
import { BRIDGE_PATH, PROTOCOL_VERSION } from '../../common/protocol.ts'
import { DECK_PORT } from '../../playwright.config.ts'
import { DOM_RENDERER, screenText } from './screen.ts'

test.use({ launchOptions: DOM_RENDERER })

const LIVE = '.live-terminal[data-status="live"]'

function screen(page: Page): Promise<string> {
  return screenText(page.locator(LIVE))
}

async function openShellSlide(page: Page): Promise<number> {
  await page.goto('/shell')
  await expect(page.locator(LIVE)).toBeVisible({ timeout: 60_000 }) // a cold server optimises deps first
  await expect.poll(() => screen(page)).toMatch(/\$ *$/m)
  return page.evaluate(() => (window as unknown as { __slidev__: { nav: { currentSlideNo: number } } }).__slidev__.nav.currentSlideNo)
}

async function typeInto(page: Page, text: string) {
  await page.locator(`${LIVE} .live-terminal__screen`).click()
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
}

test('a command typed into the slide\'s terminal runs in a real shell', async ({ page }) => {
  await openShellSlide(page)
  await typeInto(page, 'echo e2e-$((6*7))')
  await expect.poll(() => screen(page)).toMatch(/^e2e-42\s*$/m)
})

test('Korean typed into the terminal reaches the shell and echoes back intact', async ({ page }) => {
  await openShellSlide(page)
  await typeInto(page, 's="쿠버네티스 기초"; echo "$s: ${#s} chars, $(printf %s "$s" | wc -c) bytes"')
  // The shell's own output, not xterm's echo of the keystrokes: 8 characters in 22 UTF-8 bytes.
  await expect.poll(() => screen(page)).toMatch(/^쿠버네티스 기초: 8 chars, 22 bytes\s*$/m)
  expect(await screen(page)).not.toContain('\uFFFD')
})

test('the presenter window shows the same terminal session', async ({ page, context }) => {
  const slide = await openShellSlide(page)
  const presenter = await context.newPage()
  await presenter.goto(`/presenter/${slide}`)
  await expect(presenter.locator(LIVE)).toHaveCount(1, { timeout: 60_000 }) // the next-slide preview never connects; a cold presenter route compiles first
  const marker = `shared-${Date.now()}`
  await typeInto(page, `echo ${marker} $$`)
  await expect.poll(() => screen(presenter)).toMatch(new RegExp(`^${marker} \\d+`, 'm'))
  // Typed in the presenter window, seen in the audience window: one shell ($$ is its pid).
  await expect.poll(() => screen(page)).toMatch(new RegExp(`^${marker} \\d+`, 'm'))
  const pid = (await screen(page)).match(new RegExp(`^${marker} (\\d+)`, 'm'))![1]
  await typeInto(presenter, 'echo from-presenter $$')
  await expect.poll(() => screen(page)).toContain(`from-presenter ${pid}`)
})

test('a page on another origin cannot open the terminal socket', async ({ page }) => {
  const evil = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>evil</title>'))
  await new Promise<void>(r => evil.listen(0, '127.0.0.1', r))
  try {
    const { port } = evil.address() as { port: number }
    await page.goto(`http://127.0.0.1:${port}/`)
    const result = await page.evaluate(async ({ deckPort, path, v }) => {
      const token = await fetch(`http://localhost:${deckPort}${path}/token`)
        .then(async res => res.ok ? `readable: ${await res.text()}` : `refused ${res.status}`, () => 'blocked')
      const socket = await new Promise<{ opened: boolean, code: number }>((resolve) => {
        const ws = new WebSocket(`ws://localhost:${deckPort}${path}`)
        let opened = false
        ws.onopen = () => {
          opened = true
          ws.send(JSON.stringify({ type: 'hello', v, token: '', demo: 'shell', role: 'control' }))
        }
        ws.onclose = ev => resolve({ opened, code: ev.code })
      })
      return { token, ...socket }
    }, { deckPort: DECK_PORT, path: BRIDGE_PATH, v: PROTOCOL_VERSION })
    expect(result.token).toMatch(/^(blocked|refused 403)$/) // the token never reaches another origin
    expect(result.opened).toBe(false) // the upgrade itself is refused (403), before any hello
    expect(result.code).toBe(1006)
  }
  finally {
    evil.close()
  }
})

test('keys on stage: n types the next step, l shows the recording and back, R resets', async ({ page }) => {
  const slide = await openShellSlide(page)
  await page.mouse.click(5, 5) // focus outside the terminal: keys go to the deck
  await page.keyboard.press('n')
  await expect.poll(() => screen(page)).toMatch(/^안녕하세요, 쿠버네티스 기초입니다\s*$/m)

  await page.keyboard.press('l')
  const terminal = page.locator(`.slidev-page-${slide} .live-terminal`)
  await expect(terminal).toHaveAttribute('data-status', 'recording')
  await expect(terminal.locator('.live-terminal__status')).toHaveText('녹화')
  await page.keyboard.press('l')
  await expect(page.locator(LIVE)).toBeVisible()

  await typeInto(page, 'echo before-reset-$((5*5))')
  await expect.poll(() => screen(page)).toContain('before-reset-25')
  await page.mouse.click(5, 5)
  await page.keyboard.press('Shift+R')
  await expect.poll(() => screen(page)).not.toContain('before-reset-25')
  await expect.poll(() => screen(page)).toMatch(/\$ *$/m)
})

test('a demo this machine cannot run shows its recording; only the presenter sees what is missing', async ({ page, context }) => {
  // The deck under test has no cluster (DECK_ENV in playwright.config.ts).
  await page.goto('/k8s-autoscaling')
  const terminal = page.locator('.live-terminal[data-demo="k8s-autoscaling"]').locator('visible=true')
  await expect(terminal).toHaveAttribute('data-status', /^(recording|no-recording)$/, { timeout: 60_000 })
  const slide = await page.evaluate(() => (window as unknown as { __slidev__: { nav: { currentSlideNo: number } } }).__slidev__.nav.currentSlideNo)
  const presenter = await context.newPage()
  await presenter.goto(`/presenter/${slide}`)
  const status = presenter.locator('.live-terminal[data-demo="k8s-autoscaling"] .live-terminal__status').first()
  await expect(status).toContainText('kubectl', { timeout: 60_000 })
  await expect(status).toContainText('없음')
  await expect(terminal.locator('.live-terminal__status')).not.toContainText('kubectl')
})
