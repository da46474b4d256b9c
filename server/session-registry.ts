/**
 * The bridge's sessions: at most one live session per demo id, shared by every window that
 * names it, a cap on how many demos run at once and on how many windows one demo has. It starts a session on first join and
 * forgets it when the session ends; how a session runs is the session's business.
 */
import type { Admission } from './peer.ts'
import type { SessionOptions } from './session.ts'
import { CloseCode } from '../common/protocol.ts'
import { DemoError, loadDemo } from './demos.ts'
import { TerminalSession } from './session.ts'

export interface RegistryOptions {
  demosDir: string
  maxSessions: number
  maxWindows: number
  session: SessionOptions
  log: (line: string) => void
}

export class SessionRegistry {
  private readonly byDemo = new Map<string, TerminalSession>()
  /** Every session not yet fully ended, including one still ending after a newer one took its id. */
  private readonly alive = new Set<TerminalSession>()

  constructor(private readonly opts: RegistryOptions) {}

  /** The live session of this demo, started now if there is none. */
  sessionFor(demoId: string): Admission {
    const current = this.byDemo.get(demoId)
    if (current && !current.ended) {
      // Each window costs the session its replay and its share of every frame.
      if (current.viewerCount >= this.opts.maxWindows)
        return { ok: false, code: CloseCode.tryLater, reason: `window limit (${this.opts.maxWindows}) of demo "${demoId}" reached; close another window of it first` }
      return { ok: true, session: current }
    }
    if ([...this.byDemo.values()].filter(s => !s.ended).length >= this.opts.maxSessions)
      return { ok: false, code: CloseCode.tryLater, reason: `session limit (${this.opts.maxSessions}) reached; close another demo first` }
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
      if (this.byDemo.get(demoId) === created)
        this.byDemo.delete(demoId)
      this.alive.delete(created)
      this.opts.log(`session ${demoId} ended`)
    })
    this.byDemo.set(demoId, created)
    this.alive.add(created)
    this.opts.log(`session ${demoId} started`)
    created.start().catch(err => this.opts.log(`session ${demoId} failed to start: ${(err as Error).stack ?? err}`))
    return { ok: true, session: created }
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
