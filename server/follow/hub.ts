/**
 * The followers and what they are sent: the presenter's slide, and on a demo slide that demo's
 * output (tapped from its session, never joined as a window) and the commands typed so far.
 *
 * Read-only by construction: this module holds no token and no reference to a session's input,
 * step or reset (it only ever calls `tap` and its `replay`), and a follower's socket has one
 * handler for what it sends: close it. Bounded: at most `maxFollowers`; each has a send buffer
 * of `sendBufferBytes`; a follower over it is sent nothing more until its buffer drains, then
 * resynchronised from the scrollback; one that stays over it for `deadMs` is dropped. Output is
 * gathered and fanned out every FLUSH_MS, after the presenter's own frame has gone: sending one
 * frame to 300 sockets takes milliseconds of the event loop, which per keystroke would be in the
 * way of the next one (measured: echo p50 ×23 when sent per frame, see docs/BENCHMARKS.md).
 */
import type { WebSocket } from 'ws'
import type { FollowMessage } from '../../common/follow-protocol.ts'
import type { ServerMessage } from '../../common/protocol.ts'
import type { TerminalSession } from '../session/session.ts'

export interface HubOptions {
  maxFollowers: number
  sendBufferBytes: number
  heartbeatMs: number
  deadMs: number
  /** The demo a slide (1-based) runs, if any. */
  demoOfSlide: (page: number) => string | undefined
  log: (line: string) => void
}

/** How often gathered output goes out to the followers: at most ~30 fan-outs a second. */
const FLUSH_MS = 33

interface Follower { ws: WebSocket, alive: boolean, behindSince: number | undefined }

interface Tapped { session: TerminalSession, commands: string[], untap: () => void, replay: () => Buffer[] }

export class FollowHub {
  private readonly followers = new Set<Follower>()
  private readonly tapped = new Map<string, Tapped>()
  private page = 1
  private clicks = 0
  private demo: string | undefined
  private pending: Buffer[] = []
  private flushing = false
  private readonly timer: NodeJS.Timeout

  constructor(private readonly opts: HubOptions) {
    this.timer = setInterval(() => this.beat(), opts.heartbeatMs)
    this.timer.unref()
  }

  get size(): number {
    return this.followers.size
  }

  get full(): boolean {
    return this.followers.size >= this.opts.maxFollowers
  }

  /** For tests and diagnostics. */
  info(): { followers: number, behind: number, page: number, demo: string | undefined } {
    return { followers: this.followers.size, behind: [...this.followers].filter(f => f.behindSince !== undefined).length, page: this.page, demo: this.demo }
  }

  /** A session started (the bridge tells us): its output and messages are tapped. */
  attach(session: TerminalSession): void {
    const id = session.demo.id
    this.tapped.get(id)?.untap()
    const entry: Tapped = { session, commands: [], untap: () => {}, replay: () => [] }
    const tapped = session.tap({
      output: (bytes) => {
        if (this.demo === id)
          this.queue(bytes)
      },
      message: m => this.onMessage(entry, m),
      closed: () => {
        if (this.tapped.get(id) === entry)
          this.tapped.delete(id)
      },
    })
    entry.untap = tapped.untap
    entry.replay = tapped.replay
    this.tapped.set(id, entry)
    if (this.demo === id)
      this.toAll(f => this.sendScreen(f))
  }

  /** The presenter's slide moved (from the deck's shared position). */
  setSlide(page: number, clicks: number): void {
    if (page === this.page && clicks === this.clicks)
      return
    this.page = page
    this.clicks = clicks
    this.toAll(f => this.send(f, { type: 'slide', page, clicks }))
    const demo = this.opts.demoOfSlide(page)
    if (demo !== this.demo) {
      this.flush()
      this.demo = demo
      this.toAll(f => this.sendScreen(f))
    }
  }

  /** A follower's socket, already upgraded; false (and closed) when the hub is full. */
  add(ws: WebSocket): boolean {
    if (this.full) {
      ws.close(1013, 'full')
      return false
    }
    const f: Follower = { ws, alive: true, behindSince: undefined }
    this.followers.add(f)
    // A follower has nothing to say: any frame closes its socket, whatever it holds.
    ws.on('message', () => {
      this.opts.log('a follower sent a frame: its socket is closed (followers only receive)')
      ws.terminate()
    })
    ws.on('pong', () => {
      f.alive = true
    })
    ws.on('error', () => ws.terminate())
    ws.on('close', () => this.followers.delete(f))
    this.send(f, { type: 'slide', page: this.page, clicks: this.clicks })
    this.sendScreen(f)
    return true
  }

  close(): void {
    clearInterval(this.timer)
    for (const t of this.tapped.values())
      t.untap()
    this.tapped.clear()
    for (const f of this.followers)
      f.ws.close(1001, 'server shutting down')
  }

  private onMessage(entry: Tapped, m: ServerMessage): void {
    const id = entry.session.demo.id
    if (m.type === 'reset') {
      entry.commands = []
      if (this.demo === id) {
        this.flush()
        this.toAll(f => this.send(f, { type: 'reset' }))
      }
    }
    else if (m.type === 'state') {
      const commands = entry.session.demo.steps.slice(0, m.nextStep).map(s => s.type)
      if (commands.length !== entry.commands.length) {
        entry.commands = commands
        if (this.demo === id)
          this.toAll(f => this.send(f, { type: 'commands', demo: id, commands }))
      }
    }
  }

  /** The current demo's screen from the start: its name, then the scrollback, then the commands. */
  private sendScreen(f: Follower): void {
    const id = this.demo
    const entry = id === undefined ? undefined : this.tapped.get(id)
    const demo = entry?.session.demo
    this.send(f, { type: 'demo', demo: id ?? null, live: entry !== undefined, title: demo?.title, cols: demo?.size.cols, rows: demo?.size.rows })
    if (!entry || !id)
      return
    for (const part of entry.replay())
      this.sendBytes(f, part)
    this.send(f, { type: 'commands', demo: id, commands: entry.commands })
  }

  /** Output to fan out once the current turn (the presenter's frame) is done. */
  private queue(bytes: Buffer): void {
    this.pending.push(bytes)
    if (!this.flushing) {
      this.flushing = true
      setTimeout(() => this.flush(), FLUSH_MS).unref()
    }
  }

  private flush(): void {
    this.flushing = false
    if (this.pending.length === 0)
      return
    const frame = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending)
    this.pending = []
    this.toAll(f => this.sendBytes(f, frame))
  }

  private toAll(fn: (f: Follower) => void): void {
    for (const f of this.followers)
      fn(f)
  }

  private send(f: Follower, m: FollowMessage): void {
    if (this.room(f))
      f.ws.send(JSON.stringify(m))
  }

  private sendBytes(f: Follower, bytes: Buffer): void {
    if (this.room(f))
      f.ws.send(bytes, { binary: true })
  }

  /** Whether this follower may be sent more now; past its buffer it is marked behind. */
  private room(f: Follower): boolean {
    if (f.ws.readyState !== f.ws.OPEN || f.behindSince !== undefined)
      return false
    if (f.ws.bufferedAmount <= this.opts.sendBufferBytes)
      return true
    f.behindSince = performance.now()
    return false
  }

  /** Pings; drops the dead; resynchronises the followers whose buffer has drained. */
  private beat(): void {
    const now = performance.now()
    for (const f of this.followers) {
      if (!f.alive || (f.behindSince !== undefined && now - f.behindSince > this.opts.deadMs)) {
        this.opts.log(`dropped a follower (${f.alive ? 'behind' : 'no pong'} for too long)`)
        f.ws.terminate()
        continue
      }
      f.alive = false
      f.ws.ping()
      if (f.behindSince !== undefined && f.ws.bufferedAmount < this.opts.sendBufferBytes / 4) {
        f.behindSince = undefined
        this.send(f, { type: 'reset' })
        this.send(f, { type: 'slide', page: this.page, clicks: this.clicks })
        this.sendScreen(f)
      }
      else {
        this.send(f, { type: 'beat' })
      }
    }
  }
}
