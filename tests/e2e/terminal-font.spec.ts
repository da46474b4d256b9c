/**
 * Hangul in the terminal: each syllable must fill exactly two cells, or Korean output reads
 * letter-spaced ("안 녕 하 세 요"). Measured in real Chromium with the font the live terminal uses.
 */
import { expect, test } from '@playwright/test'

const LIVE = '.live-terminal[data-status="live"]'

test('Hangul glyphs in the terminal\'s font are exactly two Latin cells wide', async ({ page }) => {
  await page.goto('/shell')
  await expect(page.locator(LIVE)).toBeVisible({ timeout: 60_000 })
  // xterm's DOM renderer measures glyph widths in this element, styled with the terminal's font
  // and size (the live one may draw with WebGL; the recordings on the page use the DOM renderer
  // and the same createTerminal options).
  const probeSel = '.live-terminal .xterm-width-cache-measure-container'
  await expect(page.locator(probeSel).first()).toBeAttached()
  const m = await page.locator(probeSel).first().evaluate(async (probe: HTMLElement) => {
    const font = `${probe.style.fontSize} ${probe.style.fontFamily}`
    const hangul = '안녕하세요쿠버네티스기초'
    const latin = 'kubectl apply -f app.yaml'
    await document.fonts.load(font, hangul)
    const width = (text: string) => {
      const span = document.createElement('span')
      span.textContent = text
      Object.assign(span.style, { position: 'absolute', whiteSpace: 'pre', fontFamily: probe.style.fontFamily, fontSize: probe.style.fontSize })
      document.querySelector('.live-terminal[data-status="live"]')!.append(span)
      const w = span.offsetWidth // layout pixels: the slide's CSS scale does not enter
      span.remove()
      return w / text.length
    }
    return { family: probe.style.fontFamily, loaded: document.fonts.check(`16px "Nanum Gothic Coding"`, hangul), hangul: width(hangul), latin: width(latin) }
  })
  expect(m.latin).toBeGreaterThan(0)
  // Two cells to within 1 %: a fallback CJK font gives about 1.7 (a 1 em syllable, 0.6 em Latin).
  expect(Math.abs(m.hangul / m.latin - 2), `Hangul/Latin width ratio ${m.hangul / m.latin}`).toBeLessThan(0.02)
  expect(m.family).toMatch(/^"Nanum Gothic Coding"/)
  expect(m.loaded).toBe(true)
})
