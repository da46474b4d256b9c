/**
 * A recording cut at its steps: rehearse writes a step marker (common/asciicast.ts) just before it types step N,
 * so the screen after step k is all output before the marker of step k+1 (all of it when the
 * recording has fewer markers). Plain functions: the deck and the tests both use them.
 */
import type { Cast } from '../common/asciicast.ts'
import { markedStep } from '../common/asciicast.ts'

/** Output events [seconds, text] from the start of step `from` (0: the very start) to before step `to`. */
export function outputBetween(cast: Cast, from: number, to: number): [number, string][] {
  const out: [number, string][] = []
  let step = 0
  for (const [time, kind, data] of cast.events) {
    if (kind === 'm') {
      step = markedStep(data) ?? step
    }
    else if (kind === 'o' && step >= from && step < to) {
      out.push([time, data])
    }
  }
  return out
}

/** Everything the terminal shows once `steps` steps have run. */
export function outputAfterStep(cast: Cast, steps: number): string {
  return outputBetween(cast, 0, steps + 1).map(e => e[1]).join('')
}
