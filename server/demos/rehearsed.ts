/**
 * How long each step took when the demo was rehearsed, from the markers in its recording
 * (common/asciicast.ts): the presenter's radar measures the live run against it.
 */
import type { Demo } from './demos.ts'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseCast, RECORDING_FILE, stepTimesMs } from '../../common/asciicast.ts'

/** Each step's rehearsed time in ms; none for a demo never rehearsed or a recording that is unreadable (said in `log`). */
export function rehearsedStepMs(demo: Demo, log: (line: string) => void): (number | undefined)[] {
  const file = path.join(demo.dir, RECORDING_FILE)
  if (!existsSync(file))
    return []
  try {
    return stepTimesMs(parseCast(readFileSync(file, 'utf8'), file))
  }
  catch (err) {
    log(`no rehearsed step times: ${(err as Error).message}`)
    return []
  }
}
