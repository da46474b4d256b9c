/**
 * Demo recordings in the deck, bundled at build time from demos/<id>/recording.cast: print shows
 * the screen after the slide's step (cast-steps.ts), and the static build and the on-stage
 * fallback play one step at a time from there, with the recorded timing.
 */
import type { Terminal } from '@xterm/xterm'
import type { Cast } from '../common/asciicast.ts'
import { parseCast, RECORDING_FILE } from '../common/asciicast.ts'
import { outputAfterStep, outputBetween } from './cast-steps.ts'

// Vite's glob must be a literal: the one spelling of RECORDING_FILE it cannot import.
const recordings = import.meta.glob<string>('../demos/*/recording.cast', { query: '?raw', import: 'default' })

export async function loadRecording(demo: string): Promise<Cast | undefined> {
  const load = recordings[`../demos/${demo}/${RECORDING_FILE}`]
  return load ? parseCast(await load()) : undefined
}

/** The recording's length in seconds: the time the demo took when it was rehearsed. */
export function castDuration(cast: Cast): number {
  return cast.events.at(-1)?.[0] ?? 0
}

/** Shows the screen after `steps` steps (all of the recording when it has fewer markers). */
export function showScreenAt(term: Terminal, cast: Cast, steps: number): Promise<void> {
  term.reset()
  return new Promise(resolve => term.write(outputAfterStep(cast, steps), resolve))
}

/** Plays step `step` (1-based) on top of what the terminal shows; returns a function that stops it. */
export function playStep(term: Terminal, cast: Cast, step: number, maxIdle = 1.5): () => void {
  const events = outputBetween(cast, step, step + 1)
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let i = 0
  let last = events[0]?.[0] ?? 0
  const next = () => {
    const e = events[i++]
    if (stopped || !e)
      return
    const wait = Math.min(e[0] - last, maxIdle)
    last = e[0]
    timer = setTimeout(() => {
      term.write(e[1])
      next()
    }, Math.max(0, wait * 1000))
  }
  next()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
