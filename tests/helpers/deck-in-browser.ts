/**
 * A throwaway deck (dev/decks.ts) served by a real `slidev` and a real Chromium to open it in,
 * started before the file's tests and stopped after them, the deck folder removed.
 */
import type { Browser } from 'playwright-core'
import type { Folder } from '../../dev/decks.ts'
import type { Slidev } from '../../dev/slidev.ts'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { freePort } from '../../dev/ports.ts'
import { startSlidev } from '../../dev/slidev.ts'
import { DECK_ENV } from '../../playwright.config.ts'
import { DOM_RENDERER } from '../e2e/screen.ts'

export interface DeckInBrowser { slidev: Slidev, browser: Browser }

/** The returned object's fields are set once the file's `beforeAll` has run. */
export function deckInBrowser(deck: Folder): DeckInBrowser {
  const served = {} as DeckInBrowser
  beforeAll(async () => {
    served.slidev = await startSlidev({ cwd: deck.dir, port: await freePort(), args: ['--bind', '127.0.0.1'], env: { ...process.env, ...DECK_ENV } })
    await served.slidev.ready()
    served.browser = await chromium.launch(DOM_RENDERER)
  }, 180_000)
  afterAll(async () => {
    await served.browser?.close()
    await served.slidev?.stop()
    deck.remove()
  })
  return served
}
