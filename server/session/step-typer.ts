/**
 * The demo's scripted steps, typed into the shell at the demo's pace (like demo-magic), and
 * judged on the screen the audience sees: a headless terminal fed with every byte the windows
 * get. A step is busy from its first character until its prompt is back on that screen (or the
 * step's timeout passes): a new step is not typed while one is busy, so two quick clicks never
 * interleave. What "done" means is step-check.ts's rule, the one rehearsal applies too.
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
import { stepJudge } from './step-check.ts'

/** Unparsed bytes at which the screen holds the shell back until it has caught up. */
const SCREEN_BEHIND = 1024 * 1024
/** Output parsed while no step is busy; past it the screen goes stale until it is next needed. */
const IDLE_PARSE = 256 * 1024

export class StepTyper {
  private next = 0
  private typing = false
  private busy = false
  private readonly screen: Screen
  /** The step typed last: the line it was typed on, and how it is judged. */
  private current: { from: IMarker, judge: StepJudge } | undefined
  private unparsed = 0
  private holding = false
  /** Bytes since the last step ended, and whether they outran IDLE_PARSE. */
  private idleBytes = 0
  private stale = false
  private timer: NodeJS.Timeout | undefined

  /** `replay`: what a window joining now would be sent first (the stale screen is rebuilt from it). */
  constructor(private readonly demo: Demo, private readonly delayMs: number, private readonly changed: () => void, private readonly pacer: Pacer, private readonly replay: () => Uint8Array[]) {
    this.screen = new Screen(demo.size.cols, demo.size.rows)
  }

  get state(): StepState {
    return { nextStep: this.next, typing: this.typing, busy: this.busy }
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
      if (this.busy && !this.typing && this.unparsed === 0 && this.outcome()?.promptBack)
        this.idle()
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
    if (!step || this.busy)
      return
    this.busy = true
    this.typing = true
    this.changed()
    await this.settled()
    this.current?.from.dispose()
    // What the step prints: the screen's lines after the one it is typed on.
    this.current = { from: this.screen.markCursorLine(), judge: stepJudge(this.demo.prompt, step) }
    for (const ch of step.type) {
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
    this.next++
    this.timer = setTimeout(() => this.idle(), step.timeout * 1000)
    this.timer.unref()
    this.changed()
  }

  /** Back to the first step, on a blank screen (a fresh shell). */
  rewind(): void {
    this.next = 0
    this.idle()
    this.current?.from.dispose()
    this.current = undefined
    this.stale = false
    this.screen.reset()
  }

  /** No step in progress any more (the prompt is back, the time is up, or the shell is gone). */
  idle(): void {
    this.idleBytes = 0
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.typing || this.busy) {
      this.typing = false
      this.busy = false
      this.changed()
    }
  }
}
