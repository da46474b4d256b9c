/**
 * Real Chromium against the real dev server: a page from another local port and a downloaded
 * `file://` page try to write the slides and to reach the shell, as in issue 10. Nothing may
 * change on disk, no shell may start, and the server logs each refusal; the deck's own page
 * still saves a note and gets its token.
 */
import type { Browser } from 'playwright-core'
import type { AttackResult } from '../../helpers/attack-page.ts'
import type { DeckServer } from '../../helpers/deck-server.ts'
import type { ForeignSite } from '../../helpers/foreign-site.ts'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TOKEN_PATH } from '../../../common/protocol.ts'
import { CHROMIUM } from '../../../playwright.config.ts'
import { attackHtml } from '../../helpers/attack-page.ts'
import { startDeck } from '../../helpers/deck-server.ts'
import { foreignSite } from '../../helpers/foreign-site.ts'

let deck: DeckServer
let browser: Browser
let site: ForeignSite
let before: Record<string, string>
/** A first page load compiles the deck's modules: well over the default 30 s on a busy machine. */
const BROWSER_MS = 120_000
/** The attack page's last try, Vite's HMR socket, as the server logs its refusal. */
const LAST_ATTEMPT = /refused GET \/ from/
const tmp = mkdtempSync(path.join(os.tmpdir(), 'attack-page-'))

beforeAll(async () => {
  deck = await startDeck()
  before = deck.files()
  site = await foreignSite(() => attackHtml(deck.port))
  browser = await chromium.launch({ executablePath: CHROMIUM })
}, 120_000)
afterAll(async () => {
  await browser?.close()
  site?.close()
  await deck?.close()
  rmSync(tmp, { recursive: true, force: true })
})

async function attackFrom(url: string): Promise<AttackResult> {
  const page = await browser.newPage()
  try {
    await page.goto(url)
    return await page.evaluate(() => (window as unknown as { attack: Promise<AttackResult> }).attack)
  }
  finally {
    await page.close()
  }
}

function expectRepelled(result: AttackResult, origin: string, log: string): void {
  expect(result.posted, 'the page did send its POSTs').toBe(4)
  expect(deck.files(), 'the deck\'s files are byte-identical').toEqual(before)
  expect(result.token).not.toMatch(/"token"/)
  expect(result.bridge).not.toBe('open')
  expect(result.hmr).not.toBe('open')
  for (const p of ['/__slidev/slides/2.json', '/__slidev/slides/1.json', '/@server-ref/nav', '/__mcp'])
    expect(log).toContain(`refused POST ${p} from 127.0.0.1 (Origin ${origin}`)
  expect(deck.log()).not.toMatch(/session .* started/)
}

describe('a hostile page in the presenter\'s browser', () => {
  it('from another local port: cannot write the slides, get the token or open the bridge or HMR socket', async () => {
    const from = deck.log().length
    const result = await attackFrom(`${site.origin}/`)
    expectRepelled(result, site.origin, await deck.logged(LAST_ATTEMPT, from))
  }, BROWSER_MS)

  it('from a downloaded file:// page (Origin null): the same', async () => {
    const file = path.join(tmp, 'cats.html')
    writeFileSync(file, attackHtml(deck.port))
    const from = deck.log().length
    const result = await attackFrom(`file://${file}`)
    expectRepelled(result, 'null', await deck.logged(LAST_ATTEMPT, from))
  }, BROWSER_MS)
})

describe('the deck\'s own page in the same browser', () => {
  it('control: saves a note through Slidev\'s own endpoint and gets the terminal token', async () => {
    const page = await browser.newPage()
    try {
      await page.goto(deck.origin)
      const [save, token] = await page.evaluate(async (tokenPath) => {
        const r = await fetch('/__slidev/slides/3.json', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ note: 'saved from the deck page' }) })
        const t = await fetch(tokenPath, { cache: 'no-store' })
        return [r.status, (await t.json() as { token?: string }).token]
      }, TOKEN_PATH)
      expect(save).toBe(200)
      expect(token).toMatch(/^[\w-]{43}$/)
      expect(readFileSync(path.join(deck.dir, 'slides.md'), 'utf8')).toContain('saved from the deck page')
    }
    finally {
      await page.close()
    }
  }, BROWSER_MS)
})
