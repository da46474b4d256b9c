/**
 * The demo's scripted steps, typed into the shell at the demo's pace (like demo-magic), and
 * judged on the screen the audience sees: a headless terminal fed with every byte the windows
 * get. A step is busy from its first character until its prompt is back on that screen (or the
 * step's timeout passes): a new step is not typed while one is busy, so two quick clicks never
 * interleave. What "done" means is step-check.ts's rule, the one rehearsal applies too; how
 * each step went is kept for the presenter's radar (step-radar.ts).
 *
 * Between steps nobody is judged, so a flood typed by hand (a `cat` of a big file) is not parsed
 * past IDLE_PARSE: the screen is rebuilt from the replay, what a window joining then would draw,
 * when it is next needed: parsing every byte costs the stream throughput (docs/BENCHMARKS.md).
 */
import type { IMarker } from '@xterm/headless'
import type { StepState } from '../../common/protocol.ts'
import type { Demo } from '../demos/demos.ts'
import type { Pacer } from './output-stream.ts'
import type { Shell } from './shell.ts'
import type { StepJudge, StepOutcome } from './step-check.ts'
import { setTimeout as sleep } from 'node:timers/promises'
import { Screen } from './screen.ts'
import { failureReason, isDone, stepJudge } from './step-check.ts'
import { StepRadar } from './step-radar.ts'
import { lastLines } from './terminal-text.ts'

/** Unparsed bytes at which the screen holds the shell back until it has caught up. */
const SCREEN_BEHIND = 1024 * 1024
/** Output parsed while no step is busy; past it the screen goes stale until it is next needed. */
const IDLE_PARSE = 256 * 1024
/** How long a retry waits for the late step's command to give the prompt back after Ctrl-C. */
const INTERRUPT_MS = 3000

export class StepTyper {
  private next = 0
  private typing = false
  private busy = false
  private readonly screen: Screen
  /**
   * The step typed last: its index, the line it was typed on, how it is judged, and, for a
   * `stopOnExpect` step still running, how to stop its command (once).
   */
  private current: { index: number, from: IMarker, judge: StepJudge, stop?: () => void } | undefined
  private readonly radar: StepRadar
  private unparsed = 0
  private holding = false
  /** Bytes since the last step ended, and whether they outran IDLE_PARSE. */
  private idleBytes = 0
  private stale = false
  private timer: NodeJS.Timeout | undefined

  /**
   * `replay`: what a window joining now would be sent first (the stale screen is rebuilt from it);
   * `rehearsedMs`: each step's time in the demo's recording.
   */
  constructor(private readonly demo: Demo, private readonly delayMs: number, private readonly changed: () => void, private readonly pacer: Pacer, private readonly replay: () => Uint8Array[], rehearsedMs: readonly (number | undefined)[] = []) {
    this.screen = new Screen(demo.size.cols, demo.size.rows)
    this.radar = new StepRadar(rehearsedMs, changed, () => lastLines(this.screen.text(), 6))
  }

  get state(): StepState {
    return { nextStep: this.next, typing: this.typing, busy: this.busy, radar: this.radar.report() }
  }

  /** The shell's output, onto the screen; a busy step ends once its prompt is back there. */
  output(bytes: Uint8Array): void {
    if (!this.busy) {
      this.idleBytes += bytes.length
      this.stale ||= this.idleBytes > IDLE_PARSE
      if (this.stale)
        return
    }
    this.parse(bytes)
  }

  private parse(bytes: Uint8Array): void {
    this.unparsed += bytes.length
    if (!this.holding && this.unparsed > SCREEN_BEHIND) {
      this.holding = true
      this.pacer.pause()
    }
    this.screen.write(bytes, () => {
      this.unparsed -= bytes.length
      if (this.holding && this.unparsed < SCREEN_BEHIND / 4) {
        this.holding = false
        this.pacer.resume()
      }
      // Judged when the screen has caught up: a flood is not re-read at every chunk.
      if (this.busy && !this.typing && this.unparsed === 0) {
        const o = this.outcome()
        if (o?.promptBack || o?.failed)
          this.finish(false)
        else if (o?.expected && this.current?.stop) {
          // A stopOnExpect step has shown its point: Ctrl-C, once; its prompt then ends it.
          this.current.stop()
          this.current.stop = undefined
        }
      }
    })
  }

  /** The last typed step as the screen shows it now (undefined before the first). */
  outcome(): StepOutcome | undefined {
    return this.current?.judge(this.screen.textAfter(this.current.from))
  }

  /** The whole screen, scrollback included (current once `settled()` resolved). */
  screenText(): string {
    return this.screen.text()
  }

  /** Resolves once every byte received so far is on the screen. */
  async settled(): Promise<void> {
    await this.screen.settled()
    if (this.stale) {
      // Written after the reset, so no byte parsed before it is drawn twice.
      this.stale = false
      this.idleBytes = 0
      this.current?.from.dispose()
      this.screen.reset()
      for (const part of this.replay())
        this.parse(part)
    }
    await this.screen.settled()
  }

  /** Types the next step, then Enter; does nothing while a step is busy or none is left. */
  async type(shell: Shell): Promise<void> {
    const step = this.demo.steps[this.next]
    if (step && !this.busy)
      await this.run(shell, this.next, step.type)
  }

  /**
   * Types the last step's `retry` in its place, when it is late or failed: a command still
   * running (no prompt after it on screen) is interrupted first with Ctrl-C and given a moment.
   */
  async retry(shell: Shell): Promise<void> {
    const index = this.next - 1
    const step = this.demo.steps[index]
    const status = this.radar.status(index)
    if (!step?.retry || this.typing || (status !== 'late' && status !== 'failed'))
      return
    this.typing = true // no other step or retry meanwhile
    await this.settled()
    if (!this.outcome()?.promptBack) {
      shell.write('\x03')
      const end = Date.now() + INTERRUPT_MS
      while (Date.now() < end && !this.outcome()?.promptBack) {
        await sleep(50)
        await this.settled()
      }
    }
    this.typing = false
    this.idle('interrupted for a retry')
    await this.run(shell, index, step.retry)
  }

  private async run(shell: Shell, index: number, text: string): Promise<void> {
    const step = this.demo.steps[index]!
    this.busy = true
    this.typing = true
    this.radar.typing(index)
    this.changed()
    await this.settled()
    this.current?.from.dispose()
    // What the step prints: the screen's lines after the one it is typed on.
    this.current = { index, from: this.screen.markCursorLine(), judge: stepJudge(this.demo, step), stop: step.stopOnExpect ? () => shell.write('\x03') : undefined }
    for (const ch of text) {
      if (shell.signal.aborted)
        return this.idle()
      shell.write(ch)
      if (this.delayMs > 0)
        await sleep(this.delayMs)
    }
    if (shell.signal.aborted)
      return this.idle()
    shell.write('\r')
    this.typing = false
    this.next = index + 1
    this.radar.running(index)
    this.timer = setTimeout(() => this.finish(true), step.timeout * 1000)
    this.timer.unref()
    this.changed()
  }

  /** The busy step is over: its prompt is back or its fail pattern shows (or its time is up). */
  private finish(timedOut: boolean): void {
    const o = this.outcome()
    if (this.current && o) {
      const step = this.demo.steps[this.current.index]!
      this.radar.ended(this.current.index, isDone(o) ? { done: true } : { done: false, why: failureReason(o, this.demo, step, timedOut) })
    }
    this.idle()
  }

  /** Back to the first step, on a blank screen (a fresh shell). */
  rewind(): void {
    this.next = 0
    this.idle()
    this.radar.clear()
    this.current?.from.dispose()
    this.current = undefined
    this.stale = false
    this.screen.reset()
  }

  /**
   * No step in progress any more (the prompt is back, the time is up, or the shell is gone): a
   * step not judged yet is failed with `why`.
   */
  idle(why = 'the shell ended during the step'): void {
    this.idleBytes = 0
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.current && this.busy)
      this.radar.ended(this.current.index, { done: false, why })
    if (this.typing || this.busy) {
      this.typing = false
      this.busy = false
      this.changed()
    }
  }
}
