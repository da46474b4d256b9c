/**
 * What a demo's recording shows after step k, computed outside the deck: the recorded output up
 * to that step written into a headless xterm.js of the recording's size, read row by row.
 * The browser tests compare the PDF and the static build against it.
 */
import { readFileSync } from 'node:fs'
import headless from '@xterm/headless'
import { outputAfterStep } from '../../client/cast-steps.ts'
import type { Cast } from '../../common/asciicast.ts'
import { markedStep, parseCast, RECORDING_FILE } from '../../common/asciicast.ts'

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
  const term = new headless.Terminal({ cols: cast.header.width, rows: cast.header.height, allowProposedApi: true })
  await new Promise<void>(resolve => term.write(outputAfterStep(cast, steps), resolve))
  const buf = term.buffer.active
  const rows: string[] = []
  for (let y = 0; y < term.rows; y++)
    rows.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '')
  term.dispose()
  return rows.filter(r => r.trim() !== '')
}

/** How many steps the recording marks. */
export function recordedSteps(demo: string): number {
  return readCast(demo).events.filter(e => e[1] === 'm' && markedStep(e[2]) !== undefined).length
}
