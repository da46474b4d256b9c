/**
 * The one rule for "a step is done", read on the screen the audience sees (screen.ts), on stage
 * and in rehearsal alike: the shell's prompt is back at the end of what the step printed, and
 * what it printed matches the step's `expect` (when it has one).
 */
import type { Step } from '../../common/demo-schema.ts'

export interface StepOutcome {
  /** The prompt ends what the step printed: its command gave the shell back. */
  promptBack: boolean
  /** The step's expected output is on screen (true for a step that expects nothing). */
  expected: boolean
}

export type StepJudge = (printed: string) => StepOutcome

/** How to judge one step of a demo whose shell prompts with `prompt`. */
export function stepJudge(prompt: string, step: Pick<Step, 'expect'>): StepJudge {
  const back = new RegExp(prompt)
  const expect = step.expect ? new RegExp(step.expect, 'm') : undefined
  return printed => ({ promptBack: back.test(printed), expected: !expect || expect.test(printed) })
}

export const isDone = (o: StepOutcome): boolean => o.promptBack && o.expected
