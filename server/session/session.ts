/**
 * One demo's terminal, shared by every window that shows it: the lifecycle (needs check,
 * setup, shell, reset, end) of a shell inside the session's containment, with its output
 * stream and its scripted steps. Policy about who may connect lives in the bridge.
 */
import type { ServerMessage, SessionPhase, SessionSnapshot } from '../../common/protocol.ts'
import type { Demo } from '../demos/demos.ts'
import type { InputVerdict } from './keystrokes.ts'
import type { Tap, Viewer } from './output-stream.ts'
import type { RunningScript } from '../demos/scripts.ts'
import type { SessionOptions, SessionSettings } from './session-options.ts'
import { Containment } from '../containment/containment.ts'
import { demoHostFor } from '../demo-host/container.ts'
import { unmetNeeds } from '../demos/needs.ts'
import { Keystrokes } from './keystrokes.ts'
import { OutputStream } from './output-stream.ts'
import { Responders } from './responder.ts'
import { rehearsedStepMs } from '../demos/rehearsed.ts'
import { runScript } from '../demos/scripts.ts'
import { sessionSettings } from './session-options.ts'
import { Shell } from './shell.ts'
import { StepTyper } from './step-typer.ts'
import { lastLines } from './terminal-text.ts'

export type { SessionOptions }

export class TerminalSession {
  private readonly box: Containment
  private readonly stream: OutputStream
  private readonly steps: StepTyper
  private readonly responders = new Responders()
  private readonly keys: Keystrokes
  private shell: Shell | undefined
  private script: RunningScript | undefined
  /** One per start or reset: aborted when a newer one (or the end) takes over. */
  private run = new AbortController()
  private ending: Promise<void> | undefined
  private phase: SessionPhase = 'preparing'
  private detail: string | undefined
  private exitCode: number | undefined
  private exitSignal: string | undefined
  /** Needs of the demo this machine does not meet (then the session never starts a shell). */
  private unmet: string[] = []
  /** Set once setup ran or a shell started: from then on the end runs the demo's reset. */
  private touched = false
  private readonly opts: SessionSettings

  /** `onEmpty`: the last window left (the registry decides when that ends the session). */
  constructor(readonly demo: Demo, options: SessionOptions = {}, private readonly onEnd: () => void = () => {}, private readonly onEmpty: () => void = () => {}) {
    this.opts = sessionSettings(options)
    this.box = Containment.create(demo.id, demoHostFor(demo))
    this.keys = new Keystrokes(this.opts.inputMaxBytes)
    this.stream = new OutputStream(this.opts, { pause: () => this.shell?.hold('windows'), resume: () => this.shell?.release('windows') }, line => this.log(line))
    this.steps = new StepTyper(demo, this.opts.typingDelayMs ?? demo.typing.delayMs, () => this.broadcastState(), { pause: () => this.shell?.hold('screen'), resume: () => this.shell?.release('screen') }, () => this.stream.replayParts(), rehearsedStepMs(demo, line => this.log(line)))
  }

  get pid(): number | undefined {
    return this.shell?.pid
  }

  get viewerCount(): number {
    return this.stream.viewerCount
  }

  get ended(): boolean {
    return this.ending !== undefined
  }

  /** The screen the audience sees, and the last step judged on it (rehearsal reads it). */
  get screen(): Pick<StepTyper, 'outcome' | 'screenText' | 'settled'> {
    return this.steps
  }

  snapshot(): SessionSnapshot {
    return { phase: this.phase, ...this.steps.state, detail: this.detail, exitCode: this.exitCode, signal: this.exitSignal, unmet: this.unmet }
  }

  /** A synchronous last-resort kill of every process of the session. */
  killNow(): void {
    this.box.killNow()
  }

  /** Runs setup (if any), then starts the shell. Resolves when the shell runs or setup failed. */
  async start(): Promise<void> {
    const { signal } = this.run
    this.setPhase('preparing')
    // A demo this machine can't run says so (and the deck shows its recording) instead of
    // failing half-way through setup in front of the audience.
    const unmet = await unmetNeeds(this.demo)
    if (signal.aborted)
      return
    this.unmet = unmet.map(u => u.need)
    if (unmet.length > 0)
      return this.setPhase('failed', unmet.map(u => `${u.need}: ${u.detail}${u.fix ? `\n  → ${u.fix}` : ''}`).join('\n'))
    // Where the demo runs in a container, it starts now (once per session; a reset keeps it).
    const up = await this.box.ready()
    if (signal.aborted)
      return
    if (!up.ok) {
      this.log(up.error)
      return this.setPhase('failed', up.error)
    }
    this.touched = true
    if (this.opts.runSetup) {
      const r = await this.runScript('setup')
      if (signal.aborted)
        return
      if (r && !r.ok) {
        this.log(`setup failed (exit ${r.code}):\n${lastLines(r.output)}`)
        return this.setPhase('failed', `setup.sh failed (exit ${r.code}):\n${lastLines(r.output)}`)
      }
    }
    this.spawn()
  }

  private spawn(): void {
    const shell: Shell = new Shell(this.demo, this.box, {
      data: (bytes) => {
        this.steps.output(bytes)
        this.stream.write(bytes)
      },
      exit: (code, signal) => {
        this.exitCode = code
        this.exitSignal = signal
        this.stream.flush() // the shell's last words, before it is reported gone
        this.steps.idle()
        this.setPhase('exited')
      },
    })
    this.shell = shell
    this.setPhase('running')
    this.keys.started(shell)
  }

  /** Adds a window: it gets the terminal's size, the scrollback, then the state. */
  join(viewer: Viewer): void {
    viewer.message({
      type: 'ready',
      cols: this.demo.size.cols,
      rows: this.demo.size.rows,
    })
    this.stream.join(viewer)
    viewer.message(this.state())
    // After the replay: what the window's terminal answers while replaying old queries is dropped.
    this.responders.join(viewer)
  }

  /** Removes a window. */
  leave(viewer: Viewer): void {
    this.responders.leave(viewer)
    if (this.stream.leave(viewer) === 0 && !this.ended)
      this.onEmpty()
  }

  /** Output and messages seen without being a window (the follow hub); `replay`: a late window's replay. */
  tap(t: Tap): { untap: () => void, replay: () => Buffer[] } {
    return { untap: this.stream.tap(t), replay: () => this.stream.replayParts() }
  }

  ack(viewer: Viewer, bytes: number): void {
    this.stream.ack(viewer, bytes)
  }

  /** Keystrokes from a controlling window (the bridge keeps watch-only windows away). */
  input(data: string): InputVerdict {
    return this.keys.write(data, this.phase === 'running' ? this.shell : undefined, this.phase === 'preparing')
  }

  /** Types the next scripted step; ignored while one is busy. */
  step(): Promise<void> {
    if (this.phase !== 'running' || !this.shell)
      return Promise.resolve()
    return this.steps.type(this.shell)
  }

  /** Types the last step's `retry` in its place, when it is late or failed. */
  retry(): Promise<void> {
    if (this.phase !== 'running' || !this.shell)
      return Promise.resolve()
    return this.steps.retry(this.shell)
  }

  /** Ends the shell, runs the demo's reset script, and starts afresh for every window. */
  async reset(): Promise<void> {
    if (this.ended)
      return
    // A newer reset (or end) aborts this one while it waits: then it, not we, starts the
    // shell. Without this, two quick resets each spawned one and the first shell leaked.
    this.run.abort()
    const { signal } = (this.run = new AbortController())
    this.steps.rewind()
    this.keys.clear()
    this.exitCode = undefined
    this.exitSignal = undefined
    this.stream.broadcast({ type: 'reset' })
    this.setPhase('preparing', 'reset')
    await this.stopChildren()
    if (signal.aborted)
      return
    this.stream.restart()
    const r = await this.runScript('reset')
    if (r && !r.ok)
      this.log(`reset failed (exit ${r.code}):\n${lastLines(r.output)}`)
    if (!signal.aborted)
      await this.start()
  }

  /** Kills everything the session started, then resets the demo (a namespace outlives processes); idempotent. */
  end(): Promise<void> {
    this.ending ??= (async () => {
      this.run.abort()
      this.steps.idle()
      await this.stopChildren()
      if (this.touched && this.opts.resetOnEnd) {
        const r = await this.runScript('reset', this.opts.endResetMs)
        if (r)
          this.log(r.ok ? `reset after the end: done in ${r.ms} ms` : `reset after the end failed (exit ${r.code}):\n${lastLines(r.output)}`)
      }
      await this.box.dispose()
      this.stream.close()
      this.onEnd()
    })()
    return this.ending
  }

  private async runScript(which: 'setup' | 'reset', timeoutMs?: number) {
    const script = runScript(this.demo, which, this.box, timeoutMs)
    if (!script)
      return undefined
    this.script = script
    const r = await script.done
    if (this.script === script)
      this.script = undefined
    return r
  }

  private async stopChildren(): Promise<void> {
    const { shell, script } = this
    this.shell = undefined
    this.script = undefined
    this.stream.discard() // output of a shell being replaced or ended
    await Promise.all([script?.cancel(), shell?.end()])
    // Also when there was nothing to stop: an end still under way (an earlier reset, the shell's
    // own exit) kills the whole containment, so nothing new may start in it before that is over.
    await this.box.end()
  }

  private state(): ServerMessage {
    return { type: 'state', ...this.snapshot() }
  }

  private setPhase(phase: SessionPhase, detail?: string): void {
    this.phase = phase
    this.detail = detail
    this.broadcastState()
  }

  private broadcastState(): void {
    this.stream.broadcast(this.state())
  }

  private log(line: string): void {
    this.opts.log?.(`[${this.demo.id}] ${line}`)
  }
}
