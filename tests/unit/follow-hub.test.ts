/**
 * The follow hub with fake sockets and a fake session: fan-out, the per-follower send buffer
 * (a follower over it is sent nothing more, then resynchronised from the scrollback once its
 * buffer drains), the limit, and a follower that sends anything is closed.
 */
import type { WebSocket } from 'ws'
import type { Tap } from '../../server/session/output-stream.ts'
import type { TerminalSession } from '../../server/session/session.ts'
import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { FollowHub } from '../../server/follow/hub.ts'

class FakeWs extends EventEmitter {
  readonly OPEN = 1
  readyState = 1
  bufferedAmount = 0
  sent: (string | Buffer)[] = []
  terminated = false
  closedWith: number | undefined
  send(data: string | Buffer) {
    this.sent.push(data)
  }

  ping() {}
  terminate() {
    this.terminated = true
    this.readyState = 3
  }

  close(code: number) {
    this.closedWith = code
    this.readyState = 3
  }

  texts() {
    return this.sent.filter((d): d is string => typeof d === 'string').map(t => JSON.parse(t) as { type: string })
  }

  bytes() {
    return Buffer.concat(this.sent.filter((d): d is Buffer => Buffer.isBuffer(d))).toString()
  }
}

function fakeSession() {
  let tap: Tap | undefined
  const scrollback: Buffer[] = [Buffer.from('earlier output\r\n')]
  const session = {
    demo: { id: 'shell', title: '셸', size: { cols: 80, rows: 24 }, steps: [{ type: 'echo one' }, { type: 'echo two' }] },
    tap: (t: Tap) => {
      tap = t
      return { untap: () => (tap = undefined), replay: () => scrollback }
    },
    input: vi.fn(),
    step: vi.fn(),
    reset: vi.fn(),
  }
  return { session: session as unknown as TerminalSession & typeof session, emit: (s: string) => {
    scrollback.push(Buffer.from(s))
    tap?.output(Buffer.from(s))
  }, message: (m: Parameters<Tap['message']>[0]) => tap?.message(m) }
}

function hub(o: Partial<ConstructorParameters<typeof FollowHub>[0]> = {}) {
  return new FollowHub({ maxFollowers: 2, sendBufferBytes: 100, heartbeatMs: 60_000, deadMs: 60_000, demoOfSlide: p => (p === 3 ? 'shell' : undefined), log: () => {}, ...o })
}

describe('follow hub', () => {
  it('sends the slide, the demo\'s screen so far and its output; the commands typed', async () => {
    const h = hub()
    const s = fakeSession()
    h.attach(s.session)
    h.setSlide(3, 0)
    const ws = new FakeWs()
    h.add(ws as unknown as WebSocket)
    expect(ws.texts().map(m => m.type)).toEqual(['slide', 'demo', 'commands'])
    expect(ws.bytes()).toBe('earlier output\r\n')
    s.emit('now\r\n')
    expect(ws.bytes()).toBe('earlier output\r\n') // gathered, not sent in the presenter's turn
    await new Promise(r => setTimeout(r, 60))
    expect(ws.bytes()).toBe('earlier output\r\nnow\r\n')
    s.message({ type: 'state', phase: 'running', nextStep: 1, typing: false, busy: false, radar: [] })
    expect(ws.texts().at(-1)).toEqual({ type: 'commands', demo: 'shell', commands: ['echo one'] })
    h.close()
  })

  it('a follower over its send buffer is sent nothing more, then resynchronised once drained', async () => {
    const h = hub({ heartbeatMs: 150 })
    const s = fakeSession()
    h.attach(s.session)
    h.setSlide(3, 0)
    const slow = new FakeWs()
    const fast = new FakeWs()
    h.add(slow as unknown as WebSocket)
    h.add(fast as unknown as WebSocket)
    const pongs = setInterval(() => [slow, fast].forEach(w => w.emit('pong')), 10) // both alive
    slow.bufferedAmount = 1000
    s.emit('a\r\n')
    await new Promise(r => setTimeout(r, 40))
    const slowSent = slow.sent.length
    s.emit('b\r\n')
    await new Promise(r => setTimeout(r, 40))
    expect(slow.sent.length).toBe(slowSent)
    expect(fast.bytes()).toContain('a\r\nb\r\n')
    expect(h.info().behind).toBe(1)
    slow.bufferedAmount = 0
    await new Promise(r => setTimeout(r, 400)) // a heartbeat or two
    clearInterval(pongs)
    const after = slow.texts().map(m => m.type)
    expect(after).toContain('reset')
    expect(after).toContain('demo')
    expect(slow.bytes()).toContain('earlier output\r\na\r\nb\r\n') // the scrollback, whole
    expect(h.info().behind).toBe(0)
    h.close()
  })

  it('closes a follower that sends anything, never touching the session', () => {
    const h = hub()
    const s = fakeSession()
    h.attach(s.session)
    const ws = new FakeWs()
    h.add(ws as unknown as WebSocket)
    ws.emit('message', Buffer.from(JSON.stringify({ type: 'input', data: 'rm -rf ~\r' })), false)
    expect(ws.terminated).toBe(true)
    expect(s.session.input).not.toHaveBeenCalled()
    expect(s.session.step).not.toHaveBeenCalled()
    expect(s.session.reset).not.toHaveBeenCalled()
    h.close()
  })

  it('refuses one follower more than the limit', () => {
    const h = hub()
    const [a, b, c] = [new FakeWs(), new FakeWs(), new FakeWs()]
    expect(h.add(a as unknown as WebSocket)).toBe(true)
    expect(h.add(b as unknown as WebSocket)).toBe(true)
    expect(h.add(c as unknown as WebSocket)).toBe(false)
    expect(c.closedWith).toBe(1013)
    h.close()
  })
})
