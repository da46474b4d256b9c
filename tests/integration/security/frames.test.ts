/**
 * What an authenticated window may send: garbage and unknown frames (resize-like included) are
 * ignored, watch windows never reach the pty, and a fuzz of random frames leaves the server serving.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode, PROTOCOL_VERSION } from '../../../common/protocol.ts'
import { bashDescendants } from '../../helpers/procs.ts'
import type { TestClient } from '../../../dev/bridge-client.ts'
import { tinyDemos } from '../../../dev/decks.ts'
import { sleep, waitFor } from '../../../dev/wait.ts'
import { startBridge } from '../../helpers/bridge-under-test.ts'
import type { TestBridge } from '../../helpers/bridge-under-test.ts'
import { fuzzFrame, mulberry32, SEED } from '../../helpers/fuzz.ts'
import { collectUnhandled, watchPtyWriteErrors } from '../../helpers/error-watch.ts'

const MAX_PAYLOAD = 64 * 1024
const demos = tinyDemos(['shell', 'cat', 'deaf'], {
  // A "shell" that never reads its input: keystrokes pile up in the pty.
  deaf: 'title: deaf\nshell: [sleep, "3600"]\nsteps:\n  - type: x\n',
  // A copy of the real shell demo's steps (the step text is what must never be typed by a watcher).
  shell: 'title: shell\nsteps:\n  - type: echo "STEP-$((7*6))"\n  - type: uname -sr\n',
  // Random input for the fuzz goes to cat, not to a shell.
  cat: 'title: cat\nshell: [cat]\nsteps:\n  - type: hello\n',
})
let b: TestBridge
const unhandled = collectUnhandled()

beforeAll(async () => {
  unhandled.start()
  b = await startBridge({ demosDir: demos.dir, maxPayload: MAX_PAYLOAD, session: { typingDelayMs: 1 } })
})
afterAll(async () => {
  await b.close()
  demos.remove()
  unhandled.stop()
})
afterEach(async () => {
  await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'every session to end', 10_000)
  expect(bashDescendants()).toEqual([])
  expect(unhandled.errors).toEqual([])
  // The handler's catch-all is a safety net; a frame that reaches it is a bug.
  expect(b.logs.filter(l => l.includes('error handling a frame'))).toEqual([])
})

const GARBAGE: string[] = [
  ...[0, -1, 1e9, 'x', null, true, [], {}, 2 ** 53, -0.5].flatMap(v => [
    JSON.stringify({ type: 'resize', cols: v, rows: 24 }),
    JSON.stringify({ type: 'resize', cols: 80, rows: v }),
  ]),
  '{"type":"resize","cols":NaN,"rows":NaN}',
  '{"type":"resize","cols":Infinity}',
  '{"type":"resize","cols":1e999,"rows":-1e999}',
  JSON.stringify({ type: 'input', data: 123 }),
  JSON.stringify({ type: 'input' }),
  JSON.stringify({ type: 'input', data: 'x'.repeat(16385) }),
  JSON.stringify({ type: 'ack', bytes: -1 }),
  JSON.stringify({ type: 'ack', bytes: 0 }),
  JSON.stringify({ type: 'ack', bytes: 1.5 }),
  JSON.stringify({ type: 'ack', bytes: 1e308 }),
  JSON.stringify({ type: 'ack', bytes: '100' }),
  JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token: 'x', demo: 'cat', role: 'control' }),
  JSON.stringify({ type: 'signal', name: 'SIGKILL' }),
  JSON.stringify({ type: 'exec', command: 'id' }),
  '{"type":"__proto__"}',
  '{"__proto__":{"type":"input","data":"echo polluted\\r"}}',
  '{"type":"constructor"}',
  'null',
  '[]',
  '"input"',
  '42',
  '',
  '{',
  '{"type":"input","data":"unterminated',
]

async function ready(c: TestClient) {
  await c.waitForText(/\$ $/)
}

describe('garbage and unknown frames', () => {
  it('ignores resize-like and malformed frames from a control window: the socket, the shell and its fixed size survive', async () => {
    const c = await b.join()
    await ready(c)
    const pid = b.server.bridge.sessionInfo()[0]!.pid
    for (const g of GARBAGE)
      c.ws.send(g)
    c.send({ type: 'input', data: 'echo size-$(stty size | tr " " x)\r' })
    // demos default to 90x20: no frame can change the pty size (there is no resize message).
    await c.waitForText(/size-20x90/)
    expect(c.ws.readyState).toBe(c.ws.OPEN)
    expect(b.server.bridge.sessionInfo()[0]!.pid).toBe(pid)
    expect(c.text()).not.toContain('polluted')
    await c.close()
  })

  it('ignores them after the shell exited too, and reset still brings a working shell back', async () => {
    const c = await b.join()
    await ready(c)
    c.send({ type: 'input', data: 'exit\r' })
    await c.waitForMessage(m => m.type === 'state' && m.phase === 'exited')
    for (const g of GARBAGE)
      c.ws.send(g)
    c.send({ type: 'input', data: 'echo ignored\r' }) // no shell to type into
    c.send({ type: 'step' })
    await sleep(200)
    expect(c.ws.readyState).toBe(c.ws.OPEN)
    expect(b.server.bridge.sessionInfo()[0]!.phase).toBe('exited')
    c.send({ type: 'reset' })
    await c.waitForMessage(m => m.type === 'reset')
    await waitFor(() => b.server.bridge.sessionInfo()[0]?.phase === 'running', 'the new shell', 5000)
    await c.waitForText(/\$ $/)
    c.send({ type: 'input', data: 'echo back-$((8*8))\r' })
    await c.waitForText(/back-64/)
    await c.close()
  })
})

describe('input nobody reads', () => {
  it('is dropped when the session ends, not retried on the closed (reusable) file descriptor', async () => {
    const writeErrors = watchPtyWriteErrors()
    try {
      const c = await b.join({ demo: 'deaf' })
      await c.waitForMessage(m => m.type === 'state' && m.phase === 'running')
      // Far more than the pty's input queue holds: node-pty keeps the rest queued, retrying.
      for (let i = 0; i < 8; i++)
        c.send({ type: 'input', data: 'echo LEAKED-$((1+1))\r'.repeat(600) })
      await sleep(200)
      await c.close()
      await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', 5000)
      // A new session right away: if the old queue were still being retried, it would be written
      // to whatever now holds that fd number.
      const next = await b.join()
      await ready(next)
      await sleep(300)
      expect(next.text()).not.toContain('LEAKED')
      await next.close()
      expect(writeErrors.count()).toBe(0)
    }
    finally {
      writeErrors.restore()
    }
  })
})

describe('watch windows', () => {
  it('never reach the pty: input, step, reset, and a second hello claiming control are all ignored', async () => {
    const control = await b.join()
    await ready(control)
    const watcher = await b.join({ role: 'watch' })
    await watcher.waitForMessage(m => m.type === 'ready')
    const pid = b.server.bridge.sessionInfo()[0]!.pid
    watcher.send({ type: 'input', data: 'echo WATCHED-$((6*7))\r' })
    watcher.send({ type: 'step' })
    watcher.send({ type: 'reset' })
    watcher.send({ type: 'hello', v: PROTOCOL_VERSION, token: b.token, demo: 'shell', role: 'control' })
    watcher.send({ type: 'input', data: 'echo WATCHED-AGAIN\r' })
    watcher.send({ type: 'step' })
    await sleep(300)
    control.send({ type: 'input', data: 'echo CONTROL-$((5*5))\r' })
    await control.waitForText(/CONTROL-25/)
    await watcher.waitForText(/CONTROL-25/) // the watcher sees the shell…
    for (const c of [control, watcher]) { // …but nothing it sent ever got there
      expect(c.text()).not.toContain('WATCHED')
      expect(c.text()).not.toContain('STEP-')
      expect(c.messages.some(m => m.type === 'reset')).toBe(false)
      expect(c.messages.some(m => m.type === 'state' && m.nextStep > 0)).toBe(false)
    }
    expect(b.server.bridge.sessionInfo()[0]!.pid).toBe(pid)
    // The control window's step does work, so the above is about the role, not the step.
    control.send({ type: 'step' })
    await watcher.waitForText(/^STEP-42\r?$/m)
    await Promise.all([control.close(), watcher.close()])
  })

  it('a watch window alone (first to join) cannot type either', async () => {
    const watcher = await b.join({ role: 'watch' })
    await ready(watcher)
    watcher.send({ type: 'input', data: 'echo ALONE-$((2*2))\r' })
    watcher.send({ type: 'step' })
    await sleep(400)
    expect(watcher.text()).not.toContain('ALONE')
    expect(watcher.text()).not.toContain('STEP-')
    await watcher.close()
  })
})

describe(`fuzz (seed ${SEED})`, () => {
  it('3000 random and malformed frames on authenticated windows: nothing crashes, the server still serves a new session', async () => {
    const rand = mulberry32(SEED)
    const closes = new Map<number, number>()
    let sent = 0
    let c = await b.join({ demo: 'cat' })
    const watcher = await b.join({ demo: 'shell', role: 'watch' })
    await c.waitForMessage(m => m.type === 'ready')
    while (sent < 3000) {
      // Alternate between the control window on cat and the watch window on a real shell.
      const target = rand() < 0.7 ? c : watcher
      if (target.ws.readyState !== target.ws.OPEN) {
        const { code } = await target.closedWithin()
        closes.set(code, (closes.get(code) ?? 0) + 1)
        expect(target).toBe(c) // the watcher sends nothing that may close it except sizes, handled below
        c = await b.join({ demo: 'cat' })
        await c.waitForMessage(m => m.type === 'ready')
        continue
      }
      const f = fuzzFrame(rand)
      if (f.length > MAX_PAYLOAD)
        continue // oversize frames have their own test (limits.test.ts)
      target.ws.send(f)
      sent++
      if (sent % 200 === 0)
        await sleep(5) // let the server breathe and the pty echo
    }
    // Whatever was closed was closed for a reason the protocol names.
    for (const code of closes.keys())
      expect([CloseCode.tooBig, 1007]).toContain(code)
    expect(watcher.ws.readyState).toBe(watcher.ws.OPEN)
    expect(watcher.text()).not.toMatch(/command not found/) // no fuzz byte reached the shell
    await Promise.all([c.ws.readyState === c.ws.OPEN ? c.close() : c.closed, watcher.close()])
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the fuzzed sessions to end', 10_000)

    const fresh = await b.join()
    await ready(fresh)
    fresh.send({ type: 'input', data: 'echo fresh-$((9*9))\r' })
    await fresh.waitForText(/fresh-81/)
    await fresh.close()
  })

  it('random first frames (300 sockets): every one refused with a protocol close code, nothing spawned', async () => {
    const rand = mulberry32(SEED + 1)
    const codes = new Map<number, number>()
    for (let i = 0; i < 300; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => b.join({ hello: false })))
      for (const c of batch) {
        let f = fuzzFrame(rand)
        while (f.length > MAX_PAYLOAD || (typeof f === 'string' && f.includes(b.token)))
          f = fuzzFrame(rand)
        c.ws.send(f)
      }
      for (const c of batch) {
        const { code } = await c.closedWithin()
        codes.set(code, (codes.get(code) ?? 0) + 1)
      }
    }
    for (const code of codes.keys())
      expect([CloseCode.policy, 1007]).toContain(code)
    expect(codes.get(CloseCode.policy)).toBeGreaterThan(200)
    expect(b.server.bridge.sessionInfo()).toEqual([])
    expect(bashDescendants()).toEqual([])
  })
})
