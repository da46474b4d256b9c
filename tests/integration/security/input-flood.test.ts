/**
 * Keystrokes a shell does not read (`stty -icanon; sleep 120`) wait in the server: a window that
 * floods `input` frames must not grow the server's memory without bound. Above 1 MiB queued the
 * socket is closed 1008 with a reason, and the session stays usable for its other windows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode } from '../../../common/protocol.ts'
import { marker, procsWithEnv, SESSION_END_MS } from '../../helpers/procs.ts'
import { sleep, waitFor } from '../../../dev/wait.ts'
import { startBridge } from '../../helpers/bridge-under-test.ts'
import type { TestBridge } from '../../helpers/bridge-under-test.ts'

const FRAME = 'x'.repeat(16_000)
/** 64 MiB of keystrokes: without a cap the server keeps all of them (and the strings they came in). */
const FRAMES = 4096
const MiB = 1024 * 1024

let b: TestBridge
beforeAll(async () => {
  b = await startBridge()
})
afterAll(async () => {
  await b.close()
})

describe('input flood', () => {
  it('a shell that does not read: the flood is cut off at about 1 MiB queued (1008), RSS stays bounded', async () => {
    const c = await b.join()
    await c.waitForText(/\$ $/)
    const mark = marker('input-flood')
    c.send({ type: 'input', data: `stty -icanon; ${mark} sleep 120\r` })
    await waitFor(() => procsWithEnv(mark).length === 1, 'sleep to run', 5000)
    const rss0 = process.memoryUsage().rss
    let peak = rss0
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }, 10)
    let sent = 0
    try {
      for (; sent < FRAMES && c.ws.readyState === c.ws.OPEN; sent++) {
        c.send({ type: 'input', data: FRAME })
        // Paced by our own socket: what grows is the server's queue, not this client's.
        while (c.ws.readyState === c.ws.OPEN && c.ws.bufferedAmount > MiB)
          await sleep(5)
      }
      const closed = await c.closedWithin(10_000)
      await sleep(200)
      peak = Math.max(peak, process.memoryUsage().rss)
      expect(closed.code).toBe(CloseCode.policy)
      expect(closed.reason).toMatch(/input/)
      // Cut off after about 1 MiB (+ what the kernel's tty buffer took), not 64.
      expect(sent * FRAME.length).toBeLessThan(8 * MiB)
      expect(peak - rss0).toBeLessThan(32 * MiB)
    }
    finally {
      clearInterval(sample)
      if (c.ws.readyState === c.ws.OPEN)
        await c.close()
    }
    await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', SESSION_END_MS)
    expect(procsWithEnv(mark)).toEqual([])
  }, 60_000)
})
