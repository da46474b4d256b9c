/**
 * What a demo's recording shows after step k, computed outside the deck: the recorded output up
 * to that step on the server's headless screen (server/session/screen.ts) of the recording's size.
 * The browser tests compare the PDF and the static build against it.
 */
import { readFileSync } from 'node:fs'
import { outputAfterStep } from '../../client/cast-steps.ts'
import type { Cast } from '../../common/asciicast.ts'
import { markedStep, parseCast, RECORDING_FILE } from '../../common/asciicast.ts'
import { Screen } from '../../server/session/screen.ts'

export function readCast(demo: string) {
  return parseCast(readFileSync(`demos/${demo}/${RECORDING_FILE}`, 'utf8'))
}

/** The output of a recording, concatenated: what a terminal shows after replaying all of it. */
export function castOutput(cast: Cast): string {
  return cast.events.filter(e => e[1] === 'o').map(e => e[2]).join('')
}

/** The non-empty rows of the screen after `steps` steps. */
export async function recordedScreen(demo: string, steps: number): Promise<string[]> {
  const cast = readCast(demo)
  const screen = new Screen(cast.header.width, cast.header.height)
  screen.write(Buffer.from(outputAfterStep(cast, steps)))
  await screen.settled()
  const rows = screen.viewport()
  screen.dispose()
  return rows.filter(r => r.trim() !== '')
}

/** How many steps the recording marks. */
export function recordedSteps(demo: string): number {
  return readCast(demo).events.filter(e => e[1] === 'm' && markedStep(e[2]) !== undefined).length
}
