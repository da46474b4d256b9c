/**
 * Rehearsal: runs a demo headless in a real pty exactly as on stage (setup, each step typed at
 * the demo's pace, reset), checks each step's expected output against the screen the audience
 * sees by the deck's own rule (server/session/step-check.ts), and records the run as asciicast.
 */
import type { Step } from '../../common/demo-schema.ts'
import type { Demo } from '../demos/demos.ts'
import type { Viewer } from '../session/output-stream.ts'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { CastWriter, RECORDING_FILE, stepMarker } from '../../common/asciicast.ts'
import { pollUntil } from '../../common/wait.ts'
import { engineVersions } from './engine-versions.ts'
import type { Footprint } from './footprint.ts'
import { footprint, leftBehind } from './footprint.ts'
import { runScript } from '../demos/scripts.ts'
import { TerminalSession } from '../session/session.ts'
import { lastLines } from '../session/terminal-text.ts'

export type RehearsalEvent =
  | { kind: 'setup' }
  | { kind: 'ready', ms: number }
  | { kind: 'step-start', index: number, step: Step }
  | { kind: 'step-done', index: number, step: Step, ms: number }
  | { kind: 'reset', ms: number, ok: boolean, output: string }
  | { kind: 'clean', leftovers: string[] }

export interface StepFailure { index: number, step: Step, reason: string, lastLines: string }

/** A failure outside the steps: while preparing, or in what reset left. */
export interface StageFailure { stage: 'setup' | 'cleanup', reason: string, lastLines: string }

export type RehearsalResult =
  | { ok: true, ms: number, recording: string }
  | { ok: false, ms: number, failure: StepFailure | StageFailure }

export interface RehearseOptions {
  onEvent?: (e: RehearsalEvent) => void
  /** Write the recording (default true); only a fully passing run is written. */
  record?: boolean
  typingDelayMs?: number
}

/**
 * Waits until `ready()` holds, or the time runs out (or the shell ended); the last look is taken
 * once the screen has caught up with every byte received.
 */
async function awaitScreen(session: TerminalSession, ready: () => boolean, ms: number, ended: () => boolean): Promise<boolean> {
  await pollUntil(() => ready() || ended(), ms)
  await session.screen.settled()
  return ready()
}

/** A demo run (setup, steps, reset) not yet judged for what it left behind. */
export interface Performed {
  demo: Demo
  result: RehearsalResult
  /** The demo's footprint before its setup. */
  before: Footprint
  cast: CastWriter
  /** When its setup started and its reset ended (ms since the epoch). */
  startedAt: number
  endedAt: number
  /** Takes a failure's last lines from the screen (the session has ended; its screen stays readable). */
  fail: (at: StageFailure['stage'], reason: string) => Promise<RehearsalResult>
}

/** Rehearses one demo: its run, then (on a machine where nothing else runs) what it left behind. */
export async function rehearse(demo: Demo, options: RehearseOptions = {}): Promise<RehearsalResult> {
  return judge(await perform(demo, options), options)
}

/**
 * The demo's run: footprint, setup, every step, reset. What it left behind is judged apart
 * (`judge`), when no other demo runs: with demos side by side, another's mounts, containers or
 * groups would count as this one's.
 */
export async function perform(demo: Demo, options: RehearseOptions = {}): Promise<Performed> {
  const started = Date.now()
  const emit = options.onEvent ?? (() => {})
  const engines = await engineVersions(demo)
  const cast = new CastWriter({ width: demo.size.cols, height: demo.size.rows, title: demo.title, env: { TERM: 'xterm-256color', SHELL: demo.shell[0]!, ...engines } })
  // Its reset runs below, on its own and checked: not also as part of the session's end.
  const session = new TerminalSession(demo, { typingDelayMs: options.typingDelayMs, resetOnEnd: false })
  const client: Viewer = {
    role: 'control',
    output(bytes) {
      cast.output(bytes)
      session.ack(client, bytes.length)
    },
    message() {},
  }
  const screen = session.screen
  const prompt = new RegExp(demo.prompt)
  const ended = () => session.snapshot().phase !== 'running'

  const fail = async (at: { index: number, step: Step } | StageFailure['stage'], reason: string): Promise<RehearsalResult> => {
    await screen.settled()
    const seen = lastLines(screen.screenText(), 10)
    return {
      ok: false,
      ms: Date.now() - started,
      failure: typeof at === 'string' ? { stage: at, reason, lastLines: seen } : { ...at, reason, lastLines: seen },
    }
  }

  const before = await footprint(demo)
  let result: RehearsalResult
  try {
    emit({ kind: 'setup' })
    session.join(client)
    await session.start()
    const prepared = session.snapshot()
    if (prepared.phase === 'failed') {
      result = await fail('setup', prepared.detail ?? 'setup failed')
    }
    else if (!await awaitScreen(session, () => prompt.test(screen.screenText()), 15_000, ended)) {
      result = await fail('setup', `the shell showed no prompt matching /${demo.prompt}/ within 15s`)
    }
    else {
      emit({ kind: 'ready', ms: Date.now() - started })
      result = { ok: true, ms: 0, recording: path.join(demo.dir, RECORDING_FILE) }
      for (const [index, step] of demo.steps.entries()) {
        emit({ kind: 'step-start', index, step })
        const t0 = Date.now()
        cast.marker(stepMarker(index + 1))
        await session.step()
        if (session.snapshot().nextStep !== index + 1) {
          result = await fail({ index, step }, 'the step was not typed (the shell is not running, or the step before is still busy)')
          break
        }
        // The step typer's verdict, the one the presenter's radar shows (session/step-check.ts's
        // rule on the same screen): done, or failed with why, as soon as the screen says so.
        const verdict = () => session.snapshot().radar[index]
        const judged = () => verdict()?.status === 'done' || verdict()?.status === 'failed'
        await awaitScreen(session, judged, step.timeout * 1000 + 2000, ended)
        if (verdict()?.status !== 'done' || session.snapshot().busy) {
          const reason = ended()
            ? `the shell ended (exit ${session.snapshot().exitCode ?? '?'}) during the step`
            : verdict()?.why ?? `not judged within ${step.timeout}s`
          result = await fail({ index, step }, reason)
          break
        }
        emit({ kind: 'step-done', index, step, ms: Date.now() - t0 })
      }
    }
  }
  finally {
    await session.end()
  }
  const t0 = Date.now()
  const reset = runScript(demo, 'reset')
  if (reset) {
    const r = await reset.done
    emit({ kind: 'reset', ms: Date.now() - t0, ok: r.ok, output: lastLines(r.output) })
    if (!r.ok && result.ok)
      result = await fail('cleanup', `reset.sh failed (exit ${r.code}): ${lastLines(r.output, 4)}`)
  }
  result.ms = Date.now() - started
  return { demo, result, before, cast, startedAt: started, endedAt: Date.now(), fail }
}

/**
 * What the run left behind, judged on a machine where no demo runs (its footprint before its
 * setup against now), then its recording written if it passed.
 */
export async function judge(run: Performed, options: RehearseOptions = {}): Promise<RehearsalResult> {
  const t0 = Date.now()
  const { demo, before, cast } = run
  let result = run.result
  const emit = options.onEvent ?? (() => {})
  // A rehearsal must leave the machine as it found it, or the next run (or the talk) differs.
  const left = await leftBehind(demo, before)
  emit({ kind: 'clean', leftovers: left })
  if (left.length > 0 && result.ok)
    result = await run.fail('cleanup', `left behind after reset: ${left.join(', ')}`)
  result.ms = run.result.ms + (Date.now() - t0)
  if (result.ok && options.record !== false)
    writeFileSync(result.recording, cast.toString())
  return result
}
