/**
 * What each window is told over the real wire (real ws, real pty): which one answers the
 * terminal's queries, that the server is alive (app-level beats), and the signal that killed
 * the shell.
 */
import type { ServerMessage } from '../../common/protocol.ts'
import type { StandaloneBridge } from '../../server/bridge/standalone.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStandalone } from '../../server/bridge/standalone.ts'
import { connect } from '../../dev/bridge-client.ts'
import type { TestClient } from '../../dev/bridge-client.ts'
import { sleep } from '../../dev/wait.ts'

const HEARTBEAT = 300
const GRACE = 200
let server: StandaloneBridge

beforeAll(async () => {
  // A short grace: each test's windows close, and the next test gets a session of its own.
  server = await startStandalone({ heartbeatMs: HEARTBEAT, session: { graceMs: GRACE }, log: () => {} })
})
afterAll(async () => {
  await server.close()
})

const join = (role: 'control' | 'watch' = 'control') => connect(server.port, { token: server.bridge.token, demo: 'shell', role })
const told = (c: TestClient) => c.messages.filter((m): m is Extract<ServerMessage, { type: 'responder' }> => m.type === 'responder').map(m => m.responder)

describe('the window that answers the terminal\'s queries', () => {
  it('is the first control window, until it leaves; then the next one; never a watcher', async () => {
    const first = await join()
    await first.waitForMessage(m => m.type === 'responder')
    const watcher = await join('watch')
    const second = await join()
    const third = await join()
    await third.waitForMessage(m => m.type === 'responder')
    expect(told(first)).toEqual([true])
    expect(told(second)).toEqual([false])
    expect(told(third)).toEqual([false])

    await first.close()
    await second.waitForMessage(m => m.type === 'responder' && m.responder)
    expect(told(second)).toEqual([false, true])
    await third.close() // not the responder: nobody else is told anything
    await sleep(200)
    expect(told(second)).toEqual([false, true])
    expect(told(watcher)).toEqual([])
    await Promise.all([second.close(), watcher.close()])
  })

  it('is told after the replay of what the terminal already showed', async () => {
    const a = await join()
    await a.waitForText(/\$ $/)
    const b = await join()
    await b.waitForMessage(m => m.type === 'responder')
    const order = b.messages.map(m => m.type)
    expect(order.indexOf('responder')).toBeGreaterThan(order.indexOf('state'))
    await Promise.all([a.close(), b.close()])
  })
})

describe('beats', () => {
  it('tells a window the interval when it joins, then beats at it', async () => {
    const c = await join('watch')
    const first = await c.waitForMessage(m => m.type === 'beat', 2000)
    expect(first).toEqual({ type: 'beat', intervalMs: HEARTBEAT })
    const start = c.messages.filter(m => m.type === 'beat').length
    await sleep(HEARTBEAT * 5)
    // 5 intervals: at least 3 more beats even on a busy machine.
    expect(c.messages.filter(m => m.type === 'beat').length - start).toBeGreaterThanOrEqual(3)
    await c.close()
  })
})

describe('a shell killed by a signal', () => {
  it('is reported with the signal\'s name', async () => {
    const c = await join()
    await c.waitForText(/\$ $/)
    c.send({ type: 'input', data: 'echo "pid=$$"\r' })
    const pid = Number((await c.waitForText(/pid=\d+/)).slice(4))
    process.kill(pid, 'SIGKILL')
    const exited = await c.waitForMessage(m => m.type === 'state' && m.phase === 'exited')
    expect(exited).toMatchObject({ phase: 'exited', signal: 'SIGKILL' })
    await c.close()
  })

  it('an exit of its own keeps its code and no signal', async () => {
    for (let i = 0; i < 100 && server.bridge.sessionInfo().length > 0; i++) // the killed shell's session has ended
      await sleep(50)
    const c = await join()
    await c.waitForText(/\$ $/)
    c.send({ type: 'input', data: 'exit 3\r' })
    const exited = await c.waitForMessage(m => m.type === 'state' && m.phase === 'exited')
    expect(exited).toMatchObject({ phase: 'exited', exitCode: 3 })
    expect(exited).not.toHaveProperty('signal')
    await c.close()
  })
})
