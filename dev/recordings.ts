/** Recordings made up for tests and the bench: what rehearsal would have written for given step times. */
import { CastWriter, stepMarker } from '../common/asciicast.ts'

/** A recording in which step i took `ms[i]` (its marker, a line of output half-way, then the next marker or the end). */
export function recordingWithStepTimes(ms: readonly number[], size = { width: 90, height: 20 }): string {
  const cast = new CastWriter(size, 0)
  let t = 0
  for (const [i, d] of ms.entries()) {
    cast.marker(stepMarker(i + 1), t)
    cast.output(Buffer.from(`step ${i + 1}\r\n$ `), t + d / 2)
    t += d
  }
  cast.output(Buffer.from('\r\n'), t) // the last step's time runs to the recording's end
  return cast.toString()
}
