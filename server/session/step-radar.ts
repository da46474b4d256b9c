/**
 * The presenter's radar: each typed step's status (typing, running, done, late, failed) with
 * its time against the rehearsal. It only records what the step typer judged on the screen, and
 * says when a running step turns late: over twice its rehearsed time, still not done.
 */
import type { StepRadar as StepReport, StepStatus } from '../../common/protocol.ts'

/** A running step is late past this many times its rehearsed time. */
export const LATE_FACTOR = 2

interface Entry { status: StepStatus, started: number, ended?: number, rehearsedMs?: number, why?: string, lines?: string }

export class StepRadar {
  private entries: Entry[] = []
  private lateTimer: NodeJS.Timeout | undefined

  /**
   * `rehearsedMs[i]`: step i's time in the recording; `changed`: a status changed;
   * `lastLines`: the screen's last lines now (shown with late and failed).
   */
  constructor(private readonly rehearsedMs: readonly (number | undefined)[], private readonly changed: () => void, private readonly lastLines: () => string) {}

  /** Step `index` is being typed (again, for a retry). */
  typing(index: number): void {
    this.stopLateTimer()
    this.entries = this.entries.slice(0, index)
    this.entries[index] = { status: 'typing', started: Date.now(), rehearsedMs: this.rehearsedMs[index] }
  }

  /** Its Enter is sent: from now on it may turn late. */
  running(index: number): void {
    const e = this.entries[index]
    if (e?.status !== 'typing')
      return
    e.status = 'running'
    if (e.rehearsedMs !== undefined) {
      const wait = Math.max(0, e.started + LATE_FACTOR * e.rehearsedMs - Date.now())
      this.lateTimer = setTimeout(() => {
        if (e.status !== 'running')
          return
        Object.assign(e, { status: 'late', why: `not done after ${LATE_FACTOR}× its rehearsed ${(e.rehearsedMs! / 1000).toFixed(1)} s`, lines: this.lastLines() })
        this.changed()
      }, wait)
      this.lateTimer.unref()
    }
  }

  /** The step ended: done, or failed with why. */
  ended(index: number, outcome: { done: true } | { done: false, why: string }): void {
    const e = this.entries[index]
    if (!e || e.ended !== undefined)
      return
    this.stopLateTimer()
    e.ended = Date.now()
    if (outcome.done)
      Object.assign(e, { status: 'done', why: undefined, lines: undefined })
    else
      Object.assign(e, { status: 'failed', why: outcome.why, lines: this.lastLines() })
  }

  status(index: number): StepStatus | undefined {
    return this.entries[index]?.status
  }

  /** Back to no step typed. */
  clear(): void {
    this.stopLateTimer()
    this.entries = []
  }

  report(now = Date.now()): StepReport[] {
    return this.entries.map(e => ({
      status: e.status,
      elapsedMs: Math.max(0, (e.ended ?? now) - e.started),
      ...(e.rehearsedMs !== undefined && { rehearsedMs: e.rehearsedMs }),
      ...(e.why !== undefined && { why: e.why }),
      ...(e.lines !== undefined && { lines: e.lines }),
    }))
  }

  private stopLateTimer(): void {
    clearTimeout(this.lateTimer)
    this.lateTimer = undefined
  }
}
