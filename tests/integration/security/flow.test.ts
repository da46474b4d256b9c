/**
 * Output floods and encodings: watermark flow control really pauses the pty (bounded memory and
 * bufferedAmount, nothing dropped), Ctrl-C gets through a flood, and UTF-8 arrives intact.
 */
import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { marker, procsWithEnv, SESSION_END_MS } from '../../helpers/procs.ts'
import type { ConnectOptions, TestClient } from '../../../dev/bridge-client.ts'
import { sleep, waitFor } from '../../../dev/wait.ts'
import { startBridge } from '../../helpers/bridge-under-test.ts'
import type { TestBridge } from '../../helpers/bridge-under-test.ts'

const HIGH = 128 * 1024
const LOW = 16 * 1024
/** What may be in flight beyond the high-water mark: one pty read (64 KiB) and change. */
const SLACK = 96 * 1024

let b: TestBridge
beforeAll(async () => {
  b = await startBridge({ session: { highWater: HIGH, lowWater: LOW, scrollbackBytes: 64 * 1024 } })
})
afterAll(async () => {
  await b.close()
})
/** Every window a test opened, closed afterwards even when the test failed (no cascade). */
const opened: TestClient[] = []
const join = async (o?: ConnectOptions) => {
  const c = await b.join(o)
  opened.push(c)
  return c
}
afterEach(async () => {
  for (const c of opened.splice(0)) {
    if (c.ws.readyState === c.ws.OPEN)
      await c.close()
  }
  await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', SESSION_END_MS)
})

/** utime + stime of a process, in clock ticks. */
function cpuTicks(pid: number): number {
  const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return Number(rest[11]) + Number(rest[12])
}

/** ^C echoed, then the prompt (bash may switch bracketed paste back on before it). */
const PROMPT_AFTER_CTRL_C = /\^C\r?\n(?:\x1B\[\?\d+[hl])*\$ $/

/** Without escape sequences and carriage returns (bash wraps command output in bracketed-paste toggles). */
const stripControls = (s: string) => s.replace(/\x1B\[[?\d;]*[a-z]/gi, '').replace(/\r/g, '')

const maxBuffered = () => Math.max(0, ...b.server.bridge.connectionInfo().map(c => c.bufferedAmount))

describe('flow control', () => {
  it('yes for 5 s then Ctrl-C: the prompt returns promptly; memory and bufferedAmount stay bounded, also while the window stops reading', async () => {
    const c = await join()
    await c.waitForText(/\$ $/)
    const yes = marker('flow-yes')
    c.send({ type: 'input', data: `${yes} yes\r` })
    await waitFor(() => procsWithEnv(yes).length === 1, 'yes to run', 3000)
    const mem0 = process.memoryUsage()
    let peakBuffered = 0
    let peakArrayBuffers = 0
    let peakRss = 0
    const sample = setInterval(() => {
      peakBuffered = Math.max(peakBuffered, maxBuffered())
      const m = process.memoryUsage()
      peakArrayBuffers = Math.max(peakArrayBuffers, m.arrayBuffers)
      peakRss = Math.max(peakRss, m.rss)
    }, 20)
    try {
      await sleep(1500)
      // A background tab: the browser stops reading the socket, so no acks either.
      c.ws.pause()
      await sleep(2000)
      c.ws.resume()
      await sleep(1500)
    }
    finally {
      clearInterval(sample)
    }
    expect(c.bytes().length).toBeGreaterThan(1024 * 1024) // it really flooded
    expect(peakBuffered).toBeLessThanOrEqual(HIGH + SLACK)
    expect(peakArrayBuffers - mem0.arrayBuffers).toBeLessThan(64 * 1024 * 1024)
    expect(peakRss - mem0.rss).toBeLessThan(128 * 1024 * 1024)

    const before = c.bytes().length
    const sentAt = Date.now()
    c.send({ type: 'input', data: '\x03' })
    await waitFor(() => PROMPT_AFTER_CTRL_C.test(c.bytes().subarray(before).toString('latin1').slice(-64)), 'the prompt after Ctrl-C', 3000)
    expect(Date.now() - sentAt).toBeLessThan(3000)
    expect(procsWithEnv(yes)).toEqual([])
    c.send({ type: 'input', data: 'echo after-$((2+3))\r' })
    await c.waitForText(/after-5/)
    await c.close()
  })

  it('pauses the pty when a window stops acking (bytes plateau, the producer blocks), resumes on acks, drops nothing', async () => {
    const c = await join({ ack: false })
    let acked = 0
    const ackAll = () => {
      const n = c.bytes().length - acked
      if (n > 0) {
        c.send({ type: 'ack', bytes: n })
        acked += n
      }
    }
    await c.waitForText(/\$ $/)
    ackAll()
    const seq = marker('flow-seq')
    c.send({ type: 'input', data: `${seq} seq 1 50000000\r` })
    await waitFor(() => procsWithEnv(seq).length === 1, 'seq to run', 3000)
    const producer = procsWithEnv(seq)[0]!.pid

    /** Received bytes stop growing: three equal samples in a row (a loaded machine may stall briefly). */
    const plateau = async () => {
      let last = -1
      let same = 0
      for (let i = 0; i < 60; i++) {
        await sleep(150)
        const n = c.bytes().length
        same = n === last ? same + 1 : 0
        if (same === 2)
          return n
        last = n
      }
      throw new Error(`received bytes never stopped growing (${last})`)
    }
    for (let round = 0; round < 3; round++) {
      const stuck = await plateau()
      // Bounded by the watermark: what was acknowledged plus one high-water mark and a read.
      expect(stuck - acked).toBeLessThanOrEqual(HIGH + SLACK)
      expect(stuck - acked).toBeGreaterThan(HIGH)
      expect(maxBuffered()).toBeLessThanOrEqual(HIGH + SLACK)
      // The producer is really blocked on a full pty, not running with its output discarded.
      const cpu = cpuTicks(producer)
      await sleep(400)
      expect(cpuTicks(producer)).toBe(cpu)
      expect(c.bytes().length).toBe(stuck)
      // Acks resume it.
      ackAll()
      await waitFor(() => c.bytes().length > stuck + HIGH, 'output to resume after the ack', 3000)
    }
    // Nothing dropped: every number from the first to the last complete line, in order.
    const text = c.bytes().toString('latin1')
    // The last line may still be arriving: only complete lines count.
    const nums = text.split(/\r?\n/).slice(0, -1).filter(l => /^\d+$/.test(l)).map(Number)
    expect(nums.length).toBeGreaterThan(10_000)
    const firstBroken = nums.findIndex((n, i) => i > 0 && n !== nums[i - 1]! + 1)
    expect(firstBroken).toBe(-1)

    const timer = setInterval(ackAll, 10)
    try {
      c.send({ type: 'input', data: '\x03' })
      await waitFor(() => PROMPT_AFTER_CTRL_C.test(c.bytes().toString('latin1').slice(-64)), 'the prompt after Ctrl-C', 5000)
    }
    finally {
      clearInterval(timer)
    }
    await c.close()
  })
})

describe('UTF-8 end to end', () => {
  const LINE = /^(\d{5}) ┌─┬─┐│├┼┤└┴┘═║╔╗ 한국어 쿠버네티스 😀🚀👩‍💻$/
  const loop = 'for i in $(seq -w 1 10000); do printf "%s ┌─┬─┐│├┼┤└┴┘═║╔╗ 한국어 쿠버네티스 😀🚀👩‍💻\\n" $i; done; echo UTF8-DONE'

  it('10k lines of box drawing, Korean and emoji: zero U+FFFD and every line intact, for the window and a late joiner', async () => {
    const c = await join()
    await c.waitForText(/\$ $/)
    c.send({ type: 'input', data: `${loop}\r` })
    await c.waitForText(/^UTF8-DONE\r?$/m, 20_000)
    const text = c.text()
    expect(text).not.toContain('\uFFFD')
    const lines = text.split(/\r?\n/).map(l => stripControls(l).match(LINE)?.[1]).filter(Boolean)
    expect(lines).toHaveLength(10_000)
    expect(lines.at(-1)).toBe('10000')

    // A late window gets a trimmed scrollback (64 KiB here): it must start at a line boundary.
    const late = await join()
    await late.waitForText(/UTF8-DONE/)
    const replay = late.text()
    expect(replay).not.toContain('\uFFFD')
    expect(stripControls(replay.split(/\r?\n/)[0]!)).toMatch(LINE)
    await Promise.all([c.close(), late.close()])
  })

  it('a late joiner after a long run of multi-byte output with no newline still gets no U+FFFD', async () => {
    const c = await join()
    await c.waitForText(/\$ $/)
    // 300 KB of 3-byte characters on one line: the scrollback has to be cut without a newline to cut at.
    c.send({ type: 'input', data: 'printf "─%.0s" $(seq 1 100000); echo; echo LONG-DONE\r' })
    await c.waitForText(/^LONG-DONE\r?$/m, 20_000)
    expect(c.text()).not.toContain('\uFFFD')
    const late = await join()
    await late.waitForText(/LONG-DONE/)
    expect(late.text()).not.toContain('\uFFFD')
    expect(late.text()).toContain('─')
    await Promise.all([c.close(), late.close()])
  })

  it('a character split across pty reads (bytes written one at a time) arrives whole', async () => {
    const c = await join()
    await c.waitForText(/\$ $/)
    c.send({ type: 'input', data: 'for x in "\\xf0" "\\x9f" "\\x98" "\\x80" "\\xed" "\\x95" "\\x9c"; do printf "$x"; sleep 0.05; done; echo; echo SPLIT-DONE\r' })
    await c.waitForText(/^SPLIT-DONE\r?$/m)
    expect(c.text()).toContain('😀한')
    expect(c.text()).not.toContain('\uFFFD')
    await c.close()
  })
})
