/**
 * Joining is cheap for the others: a window's scrollback replay is paced by that window's own
 * acks and never pauses the shell for the controller; a demo has at most 32 windows (the 33rd is
 * refused, with the reason, in the log too); what the windows held is let go once they close.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { CloseCode } from '../../../common/protocol.ts'
import { SESSION_END_MS } from '../../helpers/procs.ts'
import type { TestClient } from '../../../dev/bridge-client.ts'
import { sleep, waitFor } from '../../../dev/wait.ts'
import { startBridge } from '../../helpers/bridge-under-test.ts'

/** The bridge's defaults: 512 KiB of scrollback, 64 KiB high-water mark, 32 windows a demo. */
const HIGH = 64 * 1024
const MAX_WINDOWS = 32
const b = await startBridge()
const opened: TestClient[] = []
afterAll(async () => {
  await Promise.all(opened.map(c => c.close()))
  await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', SESSION_END_MS)
  await b.close()
})

const join = async (o: Parameters<typeof b.join>[0] = {}) => {
  const c = await b.join(o)
  opened.push(c)
  return c
}
/** A watch window that never acknowledges anything (a stuck tab), once it has been let in. */
const stuckWatcher = async () => {
  const c = await join({ role: 'watch', ack: false })
  await c.waitForMessage(m => m.type === 'state')
  return c
}

/** Resolves when `needle` arrives, looking only at the end of the output (the output is megabytes). */
function outputUntil(c: TestClient, needle: string, ms = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let tail = ''
    const timer = setTimeout(() => reject(new Error(`no ${needle} within ${ms} ms`)), ms)
    const seen = (data: Buffer, binary: boolean) => {
      if (!binary)
        return
      tail = (tail + data.toString('latin1')).slice(-256)
      if (tail.includes(needle)) {
        clearTimeout(timer)
        c.ws.off('message', seen)
        resolve()
      }
    }
    c.ws.on('message', seen)
  })
}

const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length

let seqRuns = 0
/** Milliseconds the controller's `seq 1 100000` takes, prompt to its marker. */
async function timedSeq(c: TestClient): Promise<number> {
  const n = ++seqRuns
  const done = outputUntil(c, `seq-done-${n * 7}`)
  const t0 = performance.now()
  c.send({ type: 'input', data: `seq 1 100000; echo seq-done-$((${n}*7))\r` })
  await done
  return performance.now() - t0
}

describe('windows joining a running demo', () => {
  it('a watcher that never acks, joining every 2.5 s: the controller\'s seq 1 100000 within 2x its time alone; each replay is paced for its window alone', async () => {
    const ctl = await join()
    await ctl.waitForText(/\$ $/)
    // Alone, three times (the first also fills the scrollback that every joining window replays).
    const alone = mean([await timedSeq(ctl), await timedSeq(ctl), await timedSeq(ctl)])
    const watchers: TestClient[] = []
    let joining = true
    const joiner = (async () => {
      for (let i = 0; joining && i < 10; i++) {
        watchers.push(await stuckWatcher())
        await sleep(2500)
      }
    })()
    await waitFor(() => watchers.length === 1, 'the first watcher to join', 10_000)
    // Again and again while they join, until three have (each replay is 512 KiB, over the mark).
    const runs: number[] = []
    while (watchers.length < 3 || runs.length < 3)
      runs.push(await timedSeq(ctl))
    joining = false
    await joiner
    const withWatchers = mean(runs)
    console.log(`seq 1 100000: ${alone.toFixed(0)} ms alone (mean of 3), ${withWatchers.toFixed(0)} ms (mean of ${runs.length}, slowest ${Math.max(...runs).toFixed(0)}) while ${watchers.length} stuck watchers joined every 2.5 s`)
    expect(withWatchers).toBeLessThan(2 * alone)
    for (const w of watchers) {
      // It sees the controller's session (its replay is the seq output)…
      expect(w.text()).toMatch(/^\d{5,6}\r?$/m)
      // …but only what its own acks made room for: a stuck window holds no more than that.
      expect(w.bytes().length).toBeLessThanOrEqual(HIGH)
    }
  })

  it(`the 33rd window of a demo is refused with a reason; windows that closed are let go`, async () => {
    const ctl = opened[0]!
    while (b.server.bridge.connectionInfo().length < MAX_WINDOWS)
      await stuckWatcher()
    const extra = await b.join({ role: 'watch' })
    const closed = await extra.closedWithin(5000)
    expect(closed.code).toBe(CloseCode.tryLater)
    expect(closed.reason).toMatch(/window limit \(32\)/)
    expect(b.logs).toContainEqual(expect.stringMatching(/window limit \(32\) of demo "shell" reached/))
    // Every watcher leaves: the session keeps only the controller, which still works at once.
    const watchers = opened.splice(1)
    await Promise.all(watchers.map(c => c.close()))
    await waitFor(() => b.server.bridge.connectionInfo().length === 1 && b.server.bridge.sessionInfo()[0]?.clients === 1, 'the watchers to be let go', 5000)
    ctl.send({ type: 'input', data: 'echo still-$((5*5))\r' })
    await ctl.waitForText(/^still-25/m)
    const again = await join({ role: 'watch' })
    await again.waitForMessage(m => m.type === 'state')
  })
})
