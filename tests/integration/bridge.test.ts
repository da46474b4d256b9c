/** The bridge for real: a real node-pty running bash, a real ws client, processes read from /proc. */
import type { StandaloneBridge } from '../../server/bridge/standalone.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessionProcesses } from '../../server/containment/process-tree.ts'
import { startStandalone } from '../../server/bridge/standalone.ts'
import { connect } from '../../dev/bridge-client.ts'
import { tempDemos } from '../../dev/decks.ts'
import { waitFor } from '../../dev/wait.ts'
import { TEST_GRACE_MS } from '../helpers/bridge-under-test.ts'

let server: StandaloneBridge
const logs: string[] = []

beforeAll(async () => {
  server = await startStandalone({ session: { graceMs: TEST_GRACE_MS }, log: line => logs.push(line) })
})
afterAll(async () => {
  await server.close()
})

const join = (demo = 'shell') => connect(server.port, { token: server.bridge.token, demo })

describe('terminal bridge', () => {
  it('echoes a command through a real shell', async () => {
    const c = await join()
    await c.waitForText(/\$ $/)
    c.send({ type: 'input', data: 'echo round-$((40+2))\r' })
    await c.waitForText(/round-42/)
    await c.close()
  })

  it('keeps a UTF-8 character split across two pty reads intact', async () => {
    const c = await join()
    await c.waitForText(/\$ $/)
    c.send({ type: 'input', data: 'printf \'\\xe2\\x94\'; sleep 0.2; printf \'\\x80\\n\'\r' })
    const bytes = await (async () => {
      await c.waitForText(/─\r?\n/)
      return c.bytes()
    })()
    const text = bytes.toString('utf8')
    expect(text).toContain('─')
    expect(text).not.toContain('\uFFFD')
    await c.close()
  })

  it('shares one session between two windows; a late window gets the scrollback first', async () => {
    const a = await join()
    await a.waitForText(/\$ $/)
    a.send({ type: 'input', data: 'echo before-$((1+1))\r' })
    await a.waitForText(/before-2/)
    const b = await join()
    await b.waitForText(/before-2/) // scrollback
    expect(server.bridge.sessionInfo()).toHaveLength(1)
    expect(server.bridge.sessionInfo()[0]!.clients).toBe(2)
    b.send({ type: 'input', data: 'echo from-b-$((2+2))\r' })
    await a.waitForText(/from-b-4/)
    await b.waitForText(/from-b-4/)
    await Promise.all([a.close(), b.close()])
  })

  it('types the next scripted step for every window', async () => {
    const a = await join()
    const b = await join()
    await a.waitForText(/\$ $/)
    a.send({ type: 'step' })
    await b.waitForText(/^안녕하세요, 쿠버네티스 기초입니다/m)
    await b.waitForMessage(m => m.type === 'state' && m.nextStep === 1 && !m.typing)
    await Promise.all([a.close(), b.close()])
  })

  it('leaves no process of the session behind once the last window has closed (and the grace passed)', async () => {
    const c = await join()
    await c.waitForText(/\$ $/)
    c.send({ type: 'input', data: 'sleep 997 & (sleep 998 &) ; sleep 999\r' })
    await waitFor(() => {
      const pid = server.bridge.sessionInfo()[0]?.pid
      return pid !== undefined && sessionProcesses(pid).length >= 4
    }, 'condition')
    const pid = server.bridge.sessionInfo()[0]!.pid!
    const before = sessionProcesses(pid)
    await c.close()
    await waitFor(() => server.bridge.sessionInfo().length === 0, 'condition')
    // Nothing left, zombies included: read straight from /proc.
    expect(sessionProcesses(pid, true)).toEqual([])
    for (const p of before)
      expect(() => process.kill(p, 0)).toThrow()
  })

  it('refuses an unknown demo and a wrong token without spawning', async () => {
    const bad = await connect(server.port, { token: 'wrong', demo: 'shell' })
    expect((await bad.closedWithin()).code).toBe(1008)
    const unknown = await join('no-such-demo')
    const closed = await unknown.closedWithin()
    expect(closed.code).toBe(1008)
    expect(closed.reason).toMatch(/no-such-demo/)
    expect(server.bridge.sessionInfo()).toEqual([])
    expect(logs.some(l => l.includes('bad token') && !l.includes(server.bridge.token))).toBe(true)
  })
})

describe('a demo being prepared', () => {
  it('keeps what is typed during its setup and hands it to the shell', async () => {
    const demos = tempDemos()
    demos.add('slow-setup', 'title: 느린 준비\nsetup: setup.sh\nsteps:\n  - type: echo ok\n', { 'setup.sh': 'sleep 0.5\n' })
    const own = await startStandalone({ demosDir: demos.dir, log: () => {} })
    try {
      const c = await connect(own.port, { token: own.bridge.token, demo: 'slow-setup' })
      await c.waitForMessage(m => m.type === 'state' && m.phase === 'preparing')
      c.send({ type: 'input', data: 'echo early-$((20+1))\r' })
      await c.waitForMessage(m => m.type === 'state' && m.phase === 'running')
      await c.waitForText(/^early-21/m)
      await c.close()
    }
    finally {
      await own.close()
      demos.remove()
    }
  })
})

describe('a demo this machine cannot run', () => {
  it('says which needs are unmet, with the fix, and spawns no shell', async () => {
    const demos = tempDemos()
    demos.add('needs-tool', 'title: 도구가 필요한 데모\ncommands: [no-such-tool-here]\nsteps:\n  - type: no-such-tool-here\n')
    const own = await startStandalone({ demosDir: demos.dir, log: () => {} })
    try {
      const c = await connect(own.port, { token: own.bridge.token, demo: 'needs-tool' })
      const state = await c.waitForMessage(m => m.type === 'state' && m.phase === 'failed')
      expect(state).toMatchObject({ unmet: ['command:no-such-tool-here'] })
      expect(state.type === 'state' && state.detail).toMatch(/no-such-tool-here not found on PATH\n {2}→ install/)
      expect(own.bridge.sessionInfo()[0]!.pid).toBeUndefined()
      c.send({ type: 'input', data: 'echo should-not-run\r' })
      await c.close()
      expect(c.text()).toBe('')
    }
    finally {
      await own.close()
      demos.remove()
    }
  })
})
