/**
 * A shell's output on its way to the windows that show it: reads gathered into frames
 * (read-batcher.ts), the scrollback a late window receives first, and watermark flow control that pauses the shell
 * while a window that paces it has too much unrendered output.
 *
 * A joining (or resynchronised) window first catches up: its replay and the output after it are
 * queued for it alone, sent as its own acks make room (highWater in flight), and it paces the
 * shell only once caught up (queue empty, below lowWater); further behind than the scrollback
 * holds, it is detached. So a window that joins and never acks costs the others nothing.
 *
 * Then every window paces; a `watch` window over the mark for `stallMs` is detached. A detached
 * window is sent nothing and holds nothing back; once it has acknowledged what it was sent, it
 * is resynchronised from the scrollback.
 */
import type { Role, ServerMessage } from '../../common/protocol.ts'
import { ReadBatcher } from './read-batcher.ts'
import { Backlog, Scrollback } from './scrollback.ts'

/** A window showing a session, as the session sees it. */
export interface Viewer {
  readonly role: Role
  /** Raw pty output, sent as one binary frame. */
  output: (bytes: Uint8Array) => void
  /** A protocol message, sent as one JSON text frame. */
  message: (m: ServerMessage) => void
}

/**
 * Sees every frame and message the windows see, paces nothing and is owed no acks (the follow
 * hub: it has buffers and limits of its own and must never hold the shell back).
 */
export interface Tap {
  output: (bytes: Buffer) => void
  message: (m: ServerMessage) => void
  closed: () => void
}

export interface StreamOptions {
  /** Bytes of recent output a late window receives first. */
  scrollbackBytes: number
  /** Unacknowledged bytes at which the shell is paused, and below which it resumes. */
  highWater: number
  lowWater: number
  /** How long a watcher may stay over highWater before it is detached. */
  stallMs: number
}

/** What the stream does to the shell when windows fall behind or catch up. */
export interface Pacer { pause: () => void, resume: () => void }

/** `paces`: caught up, its acks pause and resume the shell; `queue`: what it has yet to be sent. */
interface ViewerState { unacked: number, overSince: number | undefined, detached: boolean, paces: boolean, queue: Backlog }

export class OutputStream {
  private readonly viewers = new Map<Viewer, ViewerState>()
  private readonly taps = new Set<Tap>()
  private readonly scrollback: Scrollback
  private paused = false
  private readonly reads = new ReadBatcher(frame => this.emit(frame))
  private stallTimer: NodeJS.Timeout | undefined

  constructor(private readonly opts: StreamOptions, private readonly pacer: Pacer, private readonly log: (line: string) => void = () => {}) {
    this.scrollback = new Scrollback(opts.scrollbackBytes)
  }

  get viewerCount(): number {
    return this.viewers.size
  }

  /** Adds a tap (see Tap); returns its removal. */
  tap(t: Tap): () => void {
    this.taps.add(t)
    return () => this.taps.delete(t)
  }

  /** A read from the shell: sent at once or gathered into a frame (read-batcher.ts). */
  write(bytes: Buffer): void {
    this.reads.write(bytes)
  }

  /** Sends what is gathered now (the shell's last words before it is reported gone). */
  flush(): void {
    this.reads.flush()
  }

  /** What a window joining now is replayed first (output gathered but not yet sent included). */
  replayParts(): Buffer[] {
    this.reads.flush()
    return this.scrollback.parts()
  }

  /** Drops output gathered but not sent: the shell it came from is being replaced. */
  discard(): void {
    this.reads.discard()
  }

  /** A fresh start for a new shell: no scrollback, nothing owed, not paused. */
  restart(): void {
    this.discard()
    this.scrollback.clear()
    for (const v of this.viewers.values())
      Object.assign(v, { unacked: 0, overSince: undefined, detached: false, queue: new Backlog() })
    this.paused = false
    this.check()
  }

  /** Adds a window and starts its replay of the scrollback. */
  join(viewer: Viewer): void {
    const v: ViewerState = { unacked: 0, overSince: undefined, detached: false, paces: true, queue: new Backlog() }
    this.viewers.set(viewer, v)
    this.replay(viewer, v)
  }

  /** Removes a window; returns how many are left. */
  leave(viewer: Viewer): number {
    if (this.viewers.delete(viewer))
      this.check()
    if (this.viewers.size === 0)
      this.stopStallTimer()
    return this.viewers.size
  }

  ack(viewer: Viewer, bytes: number): void {
    const v = this.viewers.get(viewer)
    if (!v)
      return
    v.unacked = Math.max(0, v.unacked - bytes)
    if (v.detached && v.unacked < this.opts.lowWater)
      this.resync(viewer, v)
    else if (!v.paces)
      this.pump(viewer, v)
    if (!v.paces && !v.detached && v.queue.size === 0 && v.unacked < this.opts.lowWater)
      v.paces = true
    this.check()
  }

  broadcast(m: ServerMessage): void {
    for (const viewer of this.viewers.keys())
      viewer.message(m)
    for (const t of this.taps)
      t.message(m)
  }

  /** Stops timers; the stream is not used again. */
  close(): void {
    this.discard()
    this.stopStallTimer()
    this.viewers.clear()
    for (const t of this.taps)
      t.closed()
    this.taps.clear()
  }

  private emit(bytes: Buffer): void {
    this.scrollback.push(bytes)
    for (const t of this.taps)
      t.output(bytes)
    for (const [viewer, v] of this.viewers) {
      if (v.detached)
        continue
      if (v.paces) {
        v.unacked += bytes.length
        viewer.output(bytes)
        continue
      }
      v.queue.push(bytes)
      if (v.queue.size > this.opts.scrollbackBytes)
        this.detach(v, `detached a catching-up ${viewer.role} window ${v.queue.size} bytes behind`)
      else
        this.pump(viewer, v)
    }
    this.check()
  }

  /** The window gets the scrollback, paced by its own acks; until it has caught up it paces nothing. */
  private replay(viewer: Viewer, v: ViewerState): void {
    Object.assign(v, { overSince: undefined, detached: false, queue: new Backlog(this.scrollback.parts()) })
    v.paces = v.queue.size === 0
    this.pump(viewer, v)
  }

  /** Sends a catching-up window what its acks made room for. */
  private pump(viewer: Viewer, v: ViewerState): void {
    for (const piece of v.queue.take(this.opts.highWater - v.unacked)) {
      v.unacked += piece.length
      viewer.output(piece)
    }
  }

  private detach(v: ViewerState, why: string): void {
    Object.assign(v, { detached: true, queue: new Backlog() })
    this.log(`${why}; it no longer holds the shell back`)
  }

  /** A window that caught up sees the screen again: cleared, then the scrollback. */
  private resync(viewer: Viewer, v: ViewerState): void {
    viewer.message({ type: 'reset' })
    this.replay(viewer, v)
    this.log(`resynchronised a ${viewer.role} window that caught up`)
  }

  /** Detaches stalled watchers, then pauses or resumes the shell for the windows that pace it. */
  private check(): void {
    // On every frame, keystroke echo included: one pass, no allocation.
    const now = performance.now()
    let nextStall = Infinity
    let anyHigh = false
    let allLow = true
    for (const [viewer, v] of this.viewers) {
      if (!v.paces)
        continue // still catching up: paced by its own acks (pump), not pacing the shell
      if (viewer.role === 'watch' && !v.detached) {
        if (v.unacked <= this.opts.highWater) {
          v.overSince = undefined
        }
        else {
          v.overSince ??= now
          if (now - v.overSince >= this.opts.stallMs)
            this.detach(v, `detached a watch window ${v.unacked} bytes behind`)
          else {
            nextStall = Math.min(nextStall, v.overSince + this.opts.stallMs - now)
          }
        }
      }
      if (!v.detached) {
        anyHigh ||= v.unacked > this.opts.highWater
        allLow &&= v.unacked < this.opts.lowWater
      }
    }
    if (nextStall < Infinity || this.stallTimer)
      this.armStallTimer(nextStall)
    if (!this.paused && anyHigh) {
      this.paused = true
      this.pacer.pause()
    }
    else if (this.paused && allLow) {
      this.paused = false
      this.pacer.resume()
    }
  }

  /** Looks again when the first watcher over the mark reaches stallMs (the shell may be paused: no frames to look on). */
  private armStallTimer(ms: number): void {
    this.stopStallTimer()
    if (ms < Infinity) {
      this.stallTimer = setTimeout(() => this.check(), ms + 1)
      this.stallTimer.unref()
    }
  }

  private stopStallTimer(): void {
    clearTimeout(this.stallTimer)
    this.stallTimer = undefined
  }
}
