/**
 * Nothing a session started outlives it: background jobs, foreground full-screen programs,
 * jobs that ignore SIGHUP/SIGTERM, stopped jobs, daemons that setsid away; no zombies either.
 * And the close path running twice at once (socket close + shell exit) cleans up once.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sessionProcesses } from '../../../server/containment/process-tree.ts'
import { bashDescendants, descendants, marker, procsWithEnv, SESSION_END_MS } from '../../helpers/procs.ts'
import { PROTOCOL_VERSION } from '../../../common/protocol.ts'
import { tinyDemos } from '../../../dev/decks.ts'
import { sleep, waitFor } from '../../../dev/wait.ts'
import { startBridge } from '../../helpers/bridge-under-test.ts'
import type { TestBridge } from '../../helpers/bridge-under-test.ts'
import { collectUnhandled, watchPtyWriteErrors } from '../../helpers/error-watch.ts'

let b: TestBridge
const unhandled = collectUnhandled()

beforeAll(async () => {
  unhandled.start()
  b = await startBridge({ session: { typingDelayMs: 5 } })
})
afterAll(async () => {
  await b.close()
  unhandled.stop()
})
let logMark = 0
beforeEach(() => {
  logMark = b.logs.length
})
afterEach(async () => {
  await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'every session to end', SESSION_END_MS)
  expect(bashDescendants()).toEqual([])
  expect(descendants().filter(p => p.state === 'Z')).toEqual([])
  expect(unhandled.errors).toEqual([])
  expect(b.logs.slice(logMark).filter(l => /error handling|Unhandled/i.test(l))).toEqual([])
})

/** Everything started by this test's shell carries MARK in its environment. */
async function shellWith(mark: string) {
  const c = await b.join()
  await c.waitForText(/\$ $/)
  c.send({ type: 'input', data: `export ${mark}\r` })
  await c.waitForText(/\$ $/)
  return c
}

describe('disconnect ends every process of the session', () => {
  it('sleep 999 & plus a foreground watch -n1 date', async () => {
    const mark = marker('watch')
    const c = await shellWith(mark)
    c.send({ type: 'input', data: 'sleep 999 & watch -n1 date\r' })
    await waitFor(() => procsWithEnv(mark).length >= 2, 'sleep and watch to run', 5000)
    await c.waitForText(/Every 1\.0s: date/)
    const shell = b.server.bridge.sessionInfo()[0]!.pid!
    const pids = procsWithEnv(mark).map(p => p.pid)
    await c.close()
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'condition', SESSION_END_MS)
    expect(procsWithEnv(mark)).toEqual([])
    expect(sessionProcesses(shell, true)).toEqual([])
    for (const pid of [shell, ...pids])
      expect(() => process.kill(pid, 0)).toThrow() // not even a zombie: reaped
  })

  it('control: a plain foreground tail -f /dev/null ends with its window (the pty hangup alone does that)', async () => {
    const mark = marker('tail')
    const c = await shellWith(mark)
    c.send({ type: 'input', data: 'tail -f /dev/null\r' })
    await waitFor(() => procsWithEnv(mark).length === 1, 'tail to run', 5000)
    await c.close()
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'condition', SESSION_END_MS)
    expect(procsWithEnv(mark)).toEqual([])
  })

  it('jobs that ignore SIGHUP and SIGTERM, a stopped job, and nohup', async () => {
    const mark = marker('stubborn')
    const c = await shellWith(mark)
    c.send({ type: 'input', data: 'nohup sleep 998 >/dev/null 2>&1 & (trap "" HUP TERM; exec sleep 997) & sleep 996\r' })
    await waitFor(() => procsWithEnv(mark).length === 3, 'three jobs', 5000)
    c.send({ type: 'input', data: '\x1A' }) // Ctrl-Z: sleep 996 is now a stopped job
    await c.waitForText(/Stopped/)
    await c.close()
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'condition', SESSION_END_MS)
    expect(procsWithEnv(mark)).toEqual([])
  })

  it('a daemon that left the session with setsid and was orphaned (double fork)', async () => {
    const mark = marker('daemon')
    const c = await shellWith(mark)
    c.send({ type: 'input', data: 'setsid -f sleep 995; (setsid sleep 994 &); echo spawned-$((1+2))\r' })
    await c.waitForText(/spawned-3/)
    const shell = b.server.bridge.sessionInfo()[0]!.pid!
    // They really escaped: neither in the shell's session nor below it any more. Waited for, not
    // sampled: a loaded machine can show `setsid` in the shell's session just before it leaves.
    await waitFor(() => {
      const daemons = procsWithEnv(mark)
      return daemons.length === 2 && daemons.every(p => p.session !== shell)
    }, 'two daemons in sessions of their own', 5000)
    await c.close()
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'condition', SESSION_END_MS)
    expect(procsWithEnv(mark)).toEqual([])
  })

  it('a shell that exits on its own takes its background jobs with it', async () => {
    const mark = marker('exit-bg')
    const c = await shellWith(mark)
    c.send({ type: 'input', data: 'nohup sleep 993 >/dev/null 2>&1 & exit\r' })
    await c.waitForMessage(m => m.type === 'state' && m.phase === 'exited')
    await waitFor(() => procsWithEnv(mark).length === 0, 'the job to be killed after the shell exited', 5000)
    await c.close()
  })
})

describe('the close path running twice', () => {
  it('exit and socket close at once, 8 times: cleanup once, no crash, no unhandled rejection', async () => {
    for (let i = 0; i < 8; i++) {
      const mark = marker(`twice-${i}`)
      const c = await shellWith(mark)
      c.send({ type: 'input', data: `sleep 99${i % 10} & exit\r` })
      if (i % 3 === 1)
        await sleep(i % 5) // sometimes the exit wins, sometimes the close
      c.ws.close()
      await c.closed
      await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'condition', SESSION_END_MS)
      expect(procsWithEnv(mark)).toEqual([])
    }
    const started = b.logs.slice(logMark).filter(l => l === 'session shell started').length
    const ended = b.logs.slice(logMark).filter(l => l === 'session shell ended').length
    expect(started).toBe(8)
    expect(ended).toBe(8)
    // …and the server still serves.
    const c = await b.join()
    c.send({ type: 'input', data: 'echo after-$((6*7))\r' })
    await c.waitForText(/after-42/)
    await c.close()
  })

  it('a step being typed while the shell exits and the window closes', async () => {
    // A step that takes a second to type, so the shell surely exits half-way through it, however
    // busy the machine (with a short one, a slow exit could come after the last keystroke).
    const demos = tinyDemos(['typed'], { typed: `title: a long step\nsteps:\n  - type: echo ${'x'.repeat(200)}\n  - type: echo two\n` })
    const own = await startBridge({ demosDir: demos.dir, session: { typingDelayMs: 5 } })
    const writeErrors = watchPtyWriteErrors()
    try {
      const c = await own.join({ demo: 'typed' })
      await c.waitForText(/\$ $/)
      c.send({ type: 'step' })
      await c.waitForText(/echo xxxxx/) // being typed
      c.send({ type: 'input', data: '\x03exit\r' })
      c.send({ type: 'step' })
      c.send({ type: 'reset' })
      c.ws.close()
      await c.closed
      await sleep(1500) // longer than the step takes to type
      // Typing stops at the shell's exit. node-pty reports each keystroke written to the dead
      // pty ("Unhandled pty write error"); at most one, already in flight as the shell exited,
      // may fail that way.
      expect(writeErrors.count()).toBeLessThanOrEqual(1)
      // The reset that raced the close started no shell after the window was gone.
      await waitFor(() => own.server.bridge.sessionInfo().length === 0, 'the session to end', SESSION_END_MS)
      expect(bashDescendants()).toEqual([])
    }
    finally {
      writeErrors.restore()
      await own.close()
      demos.remove()
    }
  })
})

describe('resets and shutdown races', () => {
  it('two resets back to back leave exactly one shell, and none after close', async () => {
    const c = await shellWith(marker('reset'))
    c.send({ type: 'reset' })
    c.send({ type: 'reset' })
    c.send({ type: 'reset' })
    await sleep(1500)
    await c.waitForMessage(m => m.type === 'state' && m.phase === 'running')
    expect(bashDescendants()).toHaveLength(1)
    expect(b.server.bridge.sessionInfo()).toHaveLength(1)
    expect(bashDescendants()[0]!.pid).toBe(b.server.bridge.sessionInfo()[0]!.pid)
    await c.close()
  })

  it('a hello that arrives while the server is closing spawns nothing', async () => {
    const other = await startBridge()
    const c = await other.join({ hello: false })
    const closing = other.close()
    c.send({ type: 'hello', v: PROTOCOL_VERSION, token: other.token, demo: 'shell', role: 'control' })
    await closing
    await sleep(200)
    expect(other.server.bridge.sessionInfo()).toEqual([])
    expect(bashDescendants()).toEqual([])
  })
})
