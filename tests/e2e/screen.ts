/**
 * Reading a terminal's screen in the browser tests the way a viewer sees it: the rows xterm.js
 * draws (dev/dom-screen.ts). The test browser has no WebGL (--disable-3d-apis), so the terminal
 * falls back to its DOM renderer, exactly as on a machine without a GPU.
 */
import type { Locator } from '@playwright/test'
import { screenRows } from '../../dev/dom-screen.ts'
import { CHROMIUM } from '../../playwright.config.ts'

export const DOM_RENDERER = { executablePath: CHROMIUM, args: ['--disable-3d-apis'] }

/** The visible rows of the terminal inside `terminal` (a `.live-terminal`), one per line. */
export function screenText(terminal: Locator): Promise<string> {
  return terminal.locator('.xterm-rows').first().evaluate(screenRows).then(rows => rows.map(r => r.trimEnd()).join('\n'))
}
