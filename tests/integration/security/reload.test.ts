/**
 * A reload does not end a demo: the session outlives the brief absence of all its windows, a
 * window that comes back within the grace rejoins the same shell (its scrollback replayed), and
 * only a longer absence ends it with all its processes.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { marker, procsWithEnv, SESSION_END_MS } from '../../helpers/procs.ts'
import { tinyDemos } from '../../../dev/decks.ts'
import { sleep, waitFor } from '../../../dev/wait.ts'
import { startBridge } from '../../helpers/bridge-under-test.ts'

const GRACE_MS = 3000
const b = await startBridge({ session: { graceMs: GRACE_MS } })
afterAll(() => b.close())

describe('a reload of every window', () => {
  it('keeps the demo\'s processes and shell; an absence longer than the grace ends them', async () => {
    const mark = marker('reload')
    const first = await b.join() // acks what it renders, as the browser does
    await first.waitForText(/\$ $/)
    first.send({ type: 'input', data: `export ${mark}; echo before-$((6*7)); sleep 900\r` })
    await first.waitForText(/^before-42/m)
    await waitFor(() => procsWithEnv(mark).some(p => p.comm === 'sleep'), 'sleep 900 to run', 5000)
    const [session] = b.server.bridge.sessionInfo()
    const sleeper = procsWithEnv(mark).find(p => p.comm === 'sleep')!.pid

    await first.close() // every window is gone: a reload
    await sleep(GRACE_MS / 3)
    const back = await b.join()
    await back.waitForText(/^before-42/m) // the scrollback, replayed
    expect(b.server.bridge.sessionInfo()).toEqual([{ ...session, clients: 1 }])
    expect(procsWithEnv(mark).map(p => p.pid)).toContain(sleeper)
    // The same shell: it still runs the sleep typed before the reload.
    back.send({ type: 'input', data: '\x03echo after-$((7*8))\r' })
    await back.waitForText(/^after-56/m)
    expect(b.logs).toContainEqual(expect.stringMatching(/session shell: a window came back within the grace/))

    await back.close()
    await sleep(GRACE_MS / 2)
    expect(b.server.bridge.sessionInfo()).toHaveLength(1) // still within the grace
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end after the grace', GRACE_MS + SESSION_END_MS)
    expect(procsWithEnv(mark)).toEqual([])
    expect(b.logs).toContainEqual(expect.stringMatching(/session shell: no window left; it ends in 3000 ms unless one comes back/))
  })
})

describe('sessions in their grace', () => {
  it('make room at the session limit for a demo that is shown (flicking through the slides)', async () => {
    const demos = tinyDemos(['one', 'two'])
    const own = await startBridge({ demosDir: demos.dir, maxSessions: 1, session: { graceMs: 60_000 } })
    try {
      const one = await own.join({ demo: 'one' })
      await one.waitForText(/\$ $/)
      await one.close()
      const two = await own.join({ demo: 'two' })
      await two.waitForText(/\$ $/)
      await waitFor(() => own.server.bridge.sessionInfo().map(s => s.demo).join() === 'two', 'one to end', SESSION_END_MS)
      expect(own.logs).toContainEqual('session one ends before its grace is over: no window shows it and two needs its place')
      await two.close()
    }
    finally {
      await own.close()
      demos.remove()
    }
  })
})
