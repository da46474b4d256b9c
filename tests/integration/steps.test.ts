/**
 * Scripted steps and the `busy` flag of the state message: busy from a step's first typed
 * character until the shell shows its prompt again (or the step's timeout passes); a `step`
 * request meanwhile is ignored, so two quick clicks never interleave two commands.
 */
import type { ServerMessage } from '../../common/protocol.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SESSION_END_MS } from '../helpers/procs.ts'
import { tinyDemos } from '../../dev/decks.ts'
import { sleep, waitFor } from '../../dev/wait.ts'
import { startBridge } from '../helpers/bridge-under-test.ts'
import type { TestBridge } from '../helpers/bridge-under-test.ts'
import type { Viewer } from '../../server/session/output-stream.ts'
import { loadDemo } from '../../server/demos/demos.ts'
import { isDone } from '../../server/session/step-check.ts'
import { TerminalSession } from '../../server/session/session.ts'

const demos = tinyDemos(['slow-steps', 'after-flood', 'watch-step'], {
  'watch-step': [
    'title: a watch ended once it has shown its point',
    'steps:',
    // A watch: prints its point at once, then would run to its 20 s bound.
    "  - type: timeout 20 sh -c 'echo seen-$((5+5)); sleep 30'",
    '    expect: ^seen-10$',
    '    stopOnExpect: true',
    '    timeout: 25',
  ].join('\n'),
  'after-flood': [
    'title: a step after a flood typed by hand',
    'steps:',
    '  - type: echo after-$((3+4))',
    '    expect: ^after-7$',
  ].join('\n'),
  'slow-steps': [
    'title: slow steps',
    'steps:',
    '  - type: sleep 1.5; echo first-$((1+1))',
    '  - type: echo second-$((2+2))',
    '  - type: sleep 30',
    '    timeout: 1',
  ].join('\n'),
})
let b: TestBridge
beforeAll(async () => {
  b = await startBridge({ demosDir: demos.dir, session: { typingDelayMs: 5 } })
})
afterAll(async () => {
  await b.close()
  demos.remove()
})

type State = Extract<ServerMessage, { type: 'state' }>
const states = (ms: ServerMessage[]) => ms.filter((m): m is State => m.type === 'state')

describe('step busy', () => {
  it('is busy until the prompt is back; a step meanwhile is ignored; a step past its timeout frees it', async () => {
    const c = await b.join({ demo: 'slow-steps' })
    await c.waitForText(/\$ $/)
    expect(states(c.messages).at(-1)).toMatchObject({ phase: 'running', nextStep: 0, typing: false, busy: false })

    c.send({ type: 'step' })
    await c.waitForMessage(m => m.type === 'state' && m.busy && !m.typing && m.nextStep === 1)
    c.send({ type: 'step' }) // a second click while the first command still runs
    await sleep(300)
    expect(states(c.messages).at(-1)).toMatchObject({ busy: true, nextStep: 1 })
    await c.waitForMessage(m => m.type === 'state' && !m.busy && m.nextStep === 1, 10_000)
    expect(c.text()).toMatch(/first-2/)
    expect(c.text()).not.toMatch(/echo second/) // the ignored click typed nothing

    c.send({ type: 'step' })
    await c.waitForMessage(m => m.type === 'state' && !m.busy && m.nextStep === 2, 10_000)
    expect(c.text()).toMatch(/second-4/)

    // `sleep 30` never gives the prompt back; its 1 s timeout ends busy anyway.
    const t0 = Date.now()
    c.send({ type: 'step' })
    await c.waitForMessage(m => m.type === 'state' && !m.busy && m.nextStep === 3, 10_000)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000)
    expect(Date.now() - t0).toBeLessThan(5000)

    await c.close()
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', SESSION_END_MS)
  }, 40_000)
})

describe('a stopOnExpect step', () => {
  it('is ended with Ctrl-C once its expected output is on screen, and is done', async () => {
    const c = await b.join({ demo: 'watch-step' })
    await c.waitForText(/\$ $/)
    c.send({ type: 'step' })
    // Far sooner than the command's own 20 s bound: the typer interrupted it.
    const end = await c.waitForMessage(m => m.type === 'state' && !m.busy && m.nextStep === 1, 10_000) as State
    expect(end.radar[0]).toMatchObject({ status: 'done' })
    expect(c.text()).toMatch(/seen-10\r\n\^C\r?\n?[\s\S]*\$ $/)
    await c.close()
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', SESSION_END_MS)
  }, 30_000)
})

describe('the stage screen after a flood between steps', () => {
  it('shows the flood\'s end and judges the next step on it, as a window joining then would', async () => {
    const session = new TerminalSession(loadDemo('after-flood', demos.dir), { typingDelayMs: 1 })
    let received = ''
    const viewer: Viewer = {
      role: 'control',
      output(bytes) {
        received = (received + Buffer.from(bytes).toString('latin1')).slice(-4096)
        session.ack(viewer, bytes.length)
      },
      message() {},
    }
    try {
      session.join(viewer)
      await session.start()
      await waitFor(() => /\$ $/.test(received), 'the prompt')
      // Typed by hand, not a step: 4 MiB of base64, far past what the screen parses between steps.
      session.input('head -c 3M /dev/zero | base64; echo FLOOD-""END\r')
      await waitFor(() => /FLOOD-END\r\n/.test(received), 'the end of the flood', 30_000)
      await session.step()
      await waitFor(() => !session.snapshot().busy, 'the step to end', 10_000)
      await session.screen.settled()
      expect(isDone(session.screen.outcome()!)).toBe(true)
      const lines = session.screen.screenText().split('\n')
      expect(lines.slice(-5)).toEqual([expect.stringMatching(/^A+=?=?$/), 'FLOOD-END', '$ echo after-$((3+4))', 'after-7', '$ '])
    }
    finally {
      await session.end()
    }
  }, 60_000)
})
