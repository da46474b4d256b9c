/**
 * The per-run token: missing, wrong, or not presented first → close 1008, nothing spawned,
 * and the token never appears in full in the log.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CloseCode, encode, PROTOCOL_VERSION } from '../../../common/protocol.ts'
import { bashDescendants } from '../../helpers/procs.ts'
import { closeCodeOf, frame, Opcode, rawUpgrade } from '../../helpers/raw-ws.ts'
import type { TestClient } from '../../../dev/bridge-client.ts'
import { sleep, waitFor } from '../../../dev/wait.ts'
import { expectNoSpawn, startBridge } from '../../helpers/bridge-under-test.ts'
import type { TestBridge } from '../../helpers/bridge-under-test.ts'

const HELLO_TIMEOUT = 400
let b: TestBridge

beforeAll(async () => {
  b = await startBridge({ helloTimeoutMs: HELLO_TIMEOUT })
})
afterAll(async () => {
  await b.close()
  // The whole log of this file, refusals included, never holds the token.
  expect(b.logs.length).toBeGreaterThan(10)
  expect(b.logs.filter(l => l.includes(b.token))).toEqual([])
})
let logMark = 0
beforeEach(() => {
  logMark = b.logs.length
})
afterEach(async (ctx) => {
  if (ctx.task.name.startsWith('control'))
    return
  await sleep(50) // a wrongly accepted hello would spawn right after the close
  expectNoSpawn(b, logMark)
})

const hello = (token: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token, demo: 'shell', role: 'control', ...extra })

/** Opens a socket without the automatic hello, sends `frames` as they are, returns the close. */
async function sendRaw(...frames: (string | Buffer)[]): Promise<{ code: number, reason: string }> {
  const c: TestClient = await b.join({ hello: false })
  for (const f of frames)
    c.ws.send(f)
  return c.closedWithin()
}

describe('the token', () => {
  it('control: the right token in the first frame joins the session', async () => {
    const c = await b.join()
    await c.waitForMessage(m => m.type === 'ready')
    await c.close()
    await waitFor(() => b.server.bridge.sessionInfo().length === 0 && bashDescendants().length === 0, 'condition')
  })

  it.each([
    ['missing', JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, demo: 'shell', role: 'control' })],
    ['empty', hello('')],
    ['wrong', hello('x'.repeat(43))],
    ['a prefix of the right one', () => hello(b.token.slice(0, -1))],
    ['the right one plus a character', () => hello(`${b.token}A`)],
    ['the right one in another case', () => hello(b.token.toUpperCase() === b.token ? b.token.toLowerCase() : b.token.toUpperCase())],
    ['not a string', hello(12345)],
    ['the right one but the wrong protocol version', () => hello(b.token, { v: 2 })],
    ['the right one but an unknown role', () => hello(b.token, { role: 'admin' })],
    ['the right one but a path as demo', () => hello(b.token, { demo: '../shell' })],
  ])('refuses a token that is %s with 1008', async (_what, frame: string | (() => string)) => {
    const closed = await sendRaw(typeof frame === 'function' ? frame() : frame)
    expect(closed.code).toBe(CloseCode.policy)
    expect(closed.reason.length).toBeGreaterThan(3)
  })

  it('never logs a wrong token in full either', async () => {
    const guess = `guess-${'g'.repeat(40)}`
    expect((await sendRaw(hello(guess))).code).toBe(CloseCode.policy)
    expect(b.logs.some(l => l.includes('bad token'))).toBe(true)
    expect(b.logs.filter(l => l.includes(guess) || l.includes(guess.slice(4, 20)))).toEqual([])
  })
})

describe('hello must come first', () => {
  it.each([
    ['an input frame', encode({ type: 'input', data: 'touch /tmp/pwned\r' })],
    ['an ack', encode({ type: 'ack', bytes: 1 })],
    ['a step', encode({ type: 'step' })],
    ['a reset', encode({ type: 'reset' })],
    ['garbage text', '{"type":'],
    ['a binary frame', Buffer.from([0, 1, 2, 3])],
  ])('refuses %s before hello with 1008', async (_what, frame) => {
    const closed = await sendRaw(frame)
    expect(closed.code).toBe(CloseCode.policy)
    expect(closed.reason).toMatch(/hello/)
  })

  it('refuses a binary frame that carries a valid hello (hello is a text frame)', async () => {
    const closed = await sendRaw(Buffer.from(hello(b.token)))
    expect(closed.code).toBe(CloseCode.policy)
  })

  it('does not let a valid hello that follows a refused first frame in the same burst join', async () => {
    const closed = await sendRaw(encode({ type: 'input', data: 'echo hi\r' }), hello(b.token))
    expect(closed.code).toBe(CloseCode.policy)
  })

  it('does not let a second, right hello follow a wrong one', async () => {
    const closed = await sendRaw(hello('wrong'), hello(b.token))
    expect(closed.code).toBe(CloseCode.policy)
  })

  it('closes a socket that sends nothing within helloTimeoutMs with 1008', async () => {
    const started = Date.now()
    const c = await b.join({ hello: false })
    const closed = await c.closedWithin()
    const took = Date.now() - started
    expect(closed.code).toBe(CloseCode.policy)
    expect(closed.reason).toMatch(/no hello/)
    expect(took).toBeGreaterThanOrEqual(HELLO_TIMEOUT - 20)
    expect(took).toBeLessThan(HELLO_TIMEOUT + 1500)
  })

  it('does not let a hello sent after the timeout fired (server already closing) join', async () => {
    // A hand-made peer that does not answer the server's close frame: the server stays CLOSING.
    const peer = await rawUpgrade(b.port)
    expect(peer.status).toBe(101)
    const until = Date.now() + HELLO_TIMEOUT + 2000
    while (closeCodeOf(peer.received()) === undefined && Date.now() < until)
      await sleep(10)
    expect(closeCodeOf(peer.received())).toBe(CloseCode.policy)
    peer.socket.write(frame(Opcode.text, hello(b.token)))
    await sleep(100)
    expect(b.server.bridge.sessionInfo()).toEqual([])
    peer.socket.destroy()
  })
})
