/**
 * The bridge's sessions: at most one live session per demo id, shared by every window that
 * names it, a cap on how many demos run at once and on how many windows one demo has. It
 * starts a session on first join, ends it when no window has come back `graceMs` after the last
 * one left (a reload must not end a demo), and forgets it when it has ended; how a session runs
 * is the session's business.
 */
import type { SessionOptions } from './session.ts'
import { CloseCode } from '../../common/protocol.ts'
import { DemoError, loadDemo } from '../demos/demos.ts'
import { TerminalSession } from './session.ts'
import { sessionSettings } from './session-options.ts'

export interface RegistryOptions {
  demosDir: string
  maxSessions: number
  maxWindows: number
  session: SessionOptions
  log: (line: string) => void
  /** Told of each session as it starts (the follow hub taps it). */
  onSession?: (s: TerminalSession) => void
}

/** The session a window may join, or the close code and reason it is refused with. */
export type Admission = { ok: true, session: TerminalSession } | { ok: false, code: number, reason: string }

export class SessionRegistry {
  private readonly byDemo = new Map<string, TerminalSession>()
  /** Every session not yet fully ended, including one still ending after a newer one took its id. */
  private readonly alive = new Set<TerminalSession>()
  /** Sessions no window shows, each with the timer that ends it unless one comes back. */
  private readonly graces = new Map<TerminalSession, NodeJS.Timeout>()
  private readonly graceMs: number

  constructor(private readonly opts: RegistryOptions) {
    this.graceMs = sessionSettings(opts.session).graceMs
  }

  /** The sessions not ended, one per demo at most. */
  liveSessions(): TerminalSession[] {
    return [...this.byDemo.values()].filter(s => !s.ended)
  }

  /** The live session of this demo, started now if there is none. */
  sessionFor(demoId: string): Admission {
    const current = this.byDemo.get(demoId)
    if (current && !current.ended) {
      // Each window costs the session its replay and its share of every frame.
      if (current.viewerCount >= this.opts.maxWindows)
        return { ok: false, code: CloseCode.tryLater, reason: `window limit (${this.opts.maxWindows}) of demo "${demoId}" reached; close another window of it first` }
      if (this.endGrace(current))
        this.opts.log(`session ${demoId}: a window came back within the grace`)
      return { ok: true, session: current }
    }
    const live = [...this.byDemo.values()].filter(s => !s.ended)
    if (live.length >= this.opts.maxSessions) {
      // A session in its grace (no window left) makes room, the oldest first: flicking through
      // the slides must not fill the limit with demos nobody shows.
      const idle = live.find(s => this.graces.has(s))
      if (!idle)
        return { ok: false, code: CloseCode.tryLater, reason: `session limit (${this.opts.maxSessions}) reached; close another demo first` }
      this.opts.log(`session ${idle.demo.id} ends before its grace is over: no window shows it and ${demoId} needs its place`)
      void idle.end()
    }
    let demo
    try {
      demo = loadDemo(demoId, this.opts.demosDir)
    }
    catch (err) {
      if (!(err instanceof DemoError))
        throw err
      this.opts.log(err.message)
      return { ok: false, code: CloseCode.policy, reason: `demo "${demoId}" unavailable: ${err.message.split('\n')[0]}` }
    }
    const created: TerminalSession = new TerminalSession(demo, { log: this.opts.log, ...this.opts.session }, () => {
      this.endGrace(created)
      if (this.byDemo.get(demoId) === created)
        this.byDemo.delete(demoId)
      this.alive.delete(created)
      this.opts.log(`session ${demoId} ended`)
    }, () => this.startGrace(created))
    this.byDemo.set(demoId, created)
    this.alive.add(created)
    this.opts.log(`session ${demoId} started`)
    this.opts.onSession?.(created)
    // One still ending (its reset deleting what the new setup would make) finishes first.
    const before = current?.end() ?? Promise.resolve()
    before.then(() => created.start()).catch(err => this.opts.log(`session ${demoId} failed to start: ${(err as Error).stack ?? err}`))
    return { ok: true, session: created }
  }

  private startGrace(s: TerminalSession): void {
    if (this.graces.has(s))
      return
    this.opts.log(`session ${s.demo.id}: no window left; it ends in ${this.graceMs} ms unless one comes back`)
    const timer = setTimeout(() => {
      this.graces.delete(s)
      void s.end()
    }, this.graceMs)
    timer.unref()
    this.graces.set(s, timer)
  }

  /** Stops the session's grace, if it is in one; returns whether it was. */
  private endGrace(s: TerminalSession): boolean {
    const timer = this.graces.get(s)
    clearTimeout(timer)
    return this.graces.delete(s)
  }

  /** Live sessions, for tests and diagnostics. */
  info(): { demo: string, pid: number | undefined, clients: number, phase: string }[] {
    return [...this.byDemo.values()].map(s => ({ demo: s.demo.id, pid: s.pid, clients: s.viewerCount, phase: s.snapshot().phase }))
  }

  /** Last resort on process exit, when nothing async can run: SIGKILL every session's processes. */
  killNow(): void {
    for (const s of this.alive)
      s.killNow()
  }

  /** Ends every session, with all its processes. */
  async endAll(): Promise<void> {
    await Promise.all([...this.alive].map(s => s.end()))
  }
}
