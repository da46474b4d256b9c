/**
 * Vite's `/__open-in-editor` starts a program (and runs a synchronous `ps x` to guess which). It is
 * off unless the presenter turns it on; here it is on (OPEN_IN_EDITOR=1), with LAUNCH_EDITOR a
 * script that records each call, so what is left to hold is the path rule: every spelling that
 * connect would route to the endpoint (case, slashes, dot segments, escapes, suffixes, absolute
 * form), sent by a foreign page, is refused with 403 and a logged reason, and starts nothing.
 */
import type { DeckServer } from '../../helpers/deck-server.ts'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDeck } from '../../helpers/deck-server.ts'
import { spellings } from '../../helpers/path-spellings.ts'
import { send } from '../../../dev/http.ts'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'editor-'))
const calls = path.join(tmp, 'calls')
const editor = path.join(tmp, 'editor.sh')
let deck: DeckServer

beforeAll(async () => {
  writeFileSync(editor, `#!/bin/sh\necho "$@" >> ${JSON.stringify(calls)}\n`)
  chmodSync(editor, 0o755)
  deck = await startDeck({ env: { OPEN_IN_EDITOR: '1', LAUNCH_EDITOR: editor } })
}, 120_000)
afterAll(async () => {
  await deck?.close()
  rmSync(tmp, { recursive: true, force: true })
})

const recorded = () => existsSync(calls) ? readFileSync(calls, 'utf8') : ''
const host = () => `localhost:${deck.port}`
/** Who asks: pages that are not the deck, as Chromium labels their requests. */
const SENDERS: [string, () => Record<string, string>][] = [
  ['a foreign site\'s fetch', () => ({ 'Host': host(), 'Origin': 'https://evil.example', 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'cors' })],
  ['an <img> in a foreign page', () => ({ 'Host': host(), 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'image' })],
  ['a page on another local port', () => ({ 'Host': host(), 'Origin': `http://localhost:${deck.port + 1}`, 'Sec-Fetch-Site': 'same-site' })],
]

describe('open-in-editor, turned on, in every spelling', () => {
  it.each(SENDERS)('is refused to %s with 403 and a logged reason, and starts nothing', async (_who, headers) => {
    const targets = spellings('/__open-in-editor', deck.port, '?file=slides.md')
    expect(targets.length).toBeGreaterThanOrEqual(15)
    const from = deck.log().length
    for (const target of targets) {
      const r = await send('127.0.0.1', deck.port, { method: 'GET', path: target, headers: headers() })
      expect(r.status, target).toBe(403)
    }
    const log = await deck.logged(/refused GET /, from, targets.length)
    for (const target of targets)
      expect(log, target).toContain(`refused GET ${target.split('?')[0]} from 127.0.0.1`)
    await new Promise(r => setTimeout(r, 1000)) // an editor started by any of them has written by now
    expect(recorded()).toBe('')
  })

  it('control: the deck\'s own page opens the editor (so the recorder would see a call)', async () => {
    const own = { 'Host': host(), 'Origin': deck.origin, 'Sec-Fetch-Site': 'same-origin' }
    const r = await send('127.0.0.1', deck.port, { method: 'GET', path: '/__open-in-editor?file=slides.md', headers: own })
    expect(r.status).toBe(200)
    for (let i = 0; i < 50 && !recorded(); i++)
      await new Promise(r => setTimeout(r, 100))
    expect(recorded()).toContain(path.join(deck.dir, 'slides.md'))
  })
})
