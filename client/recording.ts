/**
 * Demo recordings in the deck: bundled at build time from demos/<id>/recording.cast, shown as
 * their final screen (print, previews) or replayed with their timing (static build, fallback).
 */
import type { Terminal } from '@xterm/xterm'
import type { Cast } from '../common/asciicast.ts'
import { castOutput, parseCast } from '../common/asciicast.ts'

const recordings = import.meta.glob<string>('../demos/*/recording.cast', { query: '?raw', import: 'default' })

export async function loadRecording(demo: string): Promise<Cast | undefined> {
  const load = recordings[`../demos/${demo}/recording.cast`]
  return load ? parseCast(await load()) : undefined
}

/** Writes the whole recording at once: the terminal then shows its final screen. */
export function showFinalScreen(term: Terminal, cast: Cast): Promise<void> {
  term.reset()
  return new Promise(resolve => term.write(castOutput(cast), resolve))
}

/** Replays output events with their timing (pauses capped); returns a function that stops it. */
export function replay(term: Terminal, cast: Cast, onDone: () => void, maxIdle = 1.5): () => void {
  term.reset()
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const events = cast.events.filter(e => e[1] === 'o')
  let i = 0
  let last = 0
  const next = () => {
    if (stopped)
      return
    const e = events[i++]
    if (!e)
      return onDone()
    const wait = Math.min(e[0] - last, maxIdle)
    last = e[0]
    timer = setTimeout(() => {
      term.write(e[2])
      next()
    }, Math.max(0, wait * 1000))
  }
  next()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
