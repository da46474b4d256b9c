/**
 * The radar in the presenter view (real Chromium, real deck and bridge, a real shell): a step
 * whose output comes shows done; a step that hangs shows late within twice its rehearsed time,
 * then failed with the line from the screen, and the panel offers the recording at this step
 * and the step's retry. The audience's window shows none of it.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { RECORDING_FILE } from '../../common/asciicast.ts'
import { createDemoDeck } from '../../dev/decks.ts'
import { recordingWithStepTimes } from '../../dev/recordings.ts'
import { waitFor } from '../../dev/wait.ts'
import { deckInBrowser } from '../helpers/deck-in-browser.ts'
import { openUntilShown } from '../helpers/page-loads.ts'

const DEMO = 'radar-panel'
const deck = createDemoDeck(DEMO, {
  'demo.yaml': [
    'title: radar panel',
    'steps:',
    '  - type: echo ok-$((1+1))',
    '    expect: ^ok-2$',
    '  - type: sleep 3; echo bo""om; sleep 30',
    '    expect: ^fixed-8$',
    '    fail: ^boom$',
    '    retry: echo fixed-$((4+4))',
  ].join('\n'),
  [RECORDING_FILE]: recordingWithStepTimes([400, 400]), // each step took 400 ms when rehearsed
})
const served = deckInBrowser(deck)

/** The demo slide in `view` ('' for the audience), its terminal live. */
async function open(view: 'presenter/' | ''): Promise<Page> {
  const page = await served.browser.newPage({ viewport: { width: 1400, height: 900 } })
  await openUntilShown(page, `${served.slidev.url}/${view}2`, '.live-terminal', `the ${view || 'audience '}view`, 3, 60_000)
  await page.locator('.live-terminal[data-status="live"]').first().waitFor({ timeout: 30_000 })
  return page
}

describe('the radar in the presenter view', () => {
  it('shows done, then late and failed with the screen\'s line, offers the recording and the retry; the audience sees none of it', async () => {
    const audience = await open('')
    const presenter = await open('presenter/')
    const panel = presenter.locator('.demo-panel')
    const step = (n: number) => panel.locator('.demo-panel__steps li').nth(n - 1)
    const radar = (n: number) => step(n).getAttribute('data-radar')
    const until = (what: string, check: () => Promise<boolean>, ms = 15_000) => waitFor(check, what, ms, 50)

    await presenter.keyboard.press('ArrowRight') // the clicker: step 1
    await until('step 1 done', async () => await radar(1) === 'done')
    await expect(step(1).textContent()).resolves.toContain('완료')

    await presenter.keyboard.press('ArrowRight')
    await until('step 2 late', async () => await radar(2) === 'late', 2500) // 2 × 400 ms, well before its echo
    const trouble = panel.locator('.demo-panel__trouble')
    await expect(trouble.textContent()).resolves.toMatch(/늦음: not done after 2× its rehearsed 0\.4 s/)
    await until('step 2 failed', async () => await radar(2) === 'failed', 10_000)
    await expect(trouble.locator('pre').textContent()).resolves.toMatch(/^boom$/m)
    await expect(trouble.textContent()).resolves.toContain('실패: the screen shows /^boom$/')
    await expect(panel.locator('.demo-panel__retry').textContent()).resolves.toContain('echo fixed-$((4+4))')

    // Nothing of it on the projector: no panel, no status words.
    expect(await audience.locator('.demo-panel').count()).toBe(0)
    expect(await audience.locator('body').innerText()).not.toMatch(/늦음|실패|다시 시도/)

    await panel.locator('.demo-panel__retry').click()
    await until('the retry done', async () => await radar(2) === 'done', 10_000)
    await until('no trouble left', async () => await trouble.count() === 0)

    // And the recording at this step is one click away while a step is in trouble: here after
    // a reset and step 1, a hanging step 2 again.
    await presenter.locator('.demo-panel__steps').click() // the keys go to the deck, not the terminal
    await presenter.keyboard.press('Shift+R')
    await until('reset', async () => (await panel.locator('li[data-radar]').count()) === 0, 30_000)
    await presenter.locator('.live-terminal[data-status="live"]').first().waitFor({ timeout: 30_000 })
    await presenter.keyboard.press('ArrowRight')
    await until('step 1 done again', async () => await radar(1) === 'done')
    await presenter.keyboard.press('ArrowRight')
    await until('step 2 late again', async () => await radar(2) === 'late', 2500)
    await panel.locator('.demo-panel__show-recording').click()
    await presenter.locator('.live-terminal[data-status="recording"]').first().waitFor({ timeout: 5000 })
    await audience.close()
    await presenter.close()
  }, 300_000)
})
