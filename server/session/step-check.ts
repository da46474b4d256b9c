/**
 * The one rule for "a step is done", read on the screen the audience sees (screen.ts), on stage
 * and in rehearsal alike: the shell's prompt is back at the end of what the step printed, and
 * what it printed matches the step's `expect` (when it has one). And its counterpart: what the
 * step printed matches its `fail` pattern (the demo's, when the step has none).
 */
import type { DemoSpec, Step } from '../../common/demo-schema.ts'

export interface StepOutcome {
  /** The prompt ends what the step printed: its command gave the shell back. */
  promptBack: boolean
  /** The step's expected output is on screen (true for a step that expects nothing). */
  expected: boolean
  /** The step's `fail` pattern is on screen (false for a step without one). */
  failed: boolean
}

export type StepJudge = (printed: string) => StepOutcome

/** How to judge one step of a demo whose shell prompts with `demo.prompt`. */
export function stepJudge(demo: Pick<DemoSpec, 'prompt' | 'fail'>, step: Pick<Step, 'expect' | 'fail'>): StepJudge {
  const back = new RegExp(demo.prompt)
  const expect = step.expect ? new RegExp(step.expect, 'm') : undefined
  const failSource = failPattern(demo, step)
  const fail = failSource ? new RegExp(failSource, 'm') : undefined
  return printed => ({ promptBack: back.test(printed), expected: !expect || expect.test(printed), failed: !!fail?.test(printed) })
}

export const isDone = (o: StepOutcome): boolean => o.promptBack && o.expected && !o.failed

/** The pattern that marks a step failed: its own, or the demo's. */
export const failPattern = (demo: Pick<DemoSpec, 'fail'>, step: Pick<Step, 'fail'>): string | undefined => step.fail ?? demo.fail

/**
 * Why a step that is not done went wrong, in the words the presenter and rehearsal both read:
 * `timedOut` once its timeout passed, else as soon as the screen shows it (fail pattern, or
 * the prompt back without the expected output).
 */
export function failureReason(o: StepOutcome, demo: Pick<DemoSpec, 'prompt' | 'fail'>, step: Pick<Step, 'expect' | 'fail' | 'timeout'>, timedOut: boolean): string {
  if (o.failed)
    return `the screen shows /${failPattern(demo, step)}/`
  if (!o.expected)
    return `output did not match /${step.expect}/ ${timedOut ? `within ${step.timeout}s` : 'when the prompt came back'}`
  return `the prompt /${demo.prompt}/ did not come back within ${step.timeout}s`
}
