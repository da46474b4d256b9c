/**
 * The demos' recordings as followers get them: for a demo slide that is not live (passed, or its
 * session not running), the recording's final screen. The output events of each demo's
 * `recording.cast`, read once, for the demos the slides name (nothing else can be asked for).
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseCast, RECORDING_FILE } from '../../common/asciicast.ts'
import { DEMO_ID } from '../../common/protocol.ts'

export interface FollowRecording { cols: number, rows: number, output: string }

export function loadRecordings(root: string, demoIds: (string | undefined)[]): Map<string, FollowRecording> {
  const out = new Map<string, FollowRecording>()
  for (const id of new Set(demoIds)) {
    if (!id || !DEMO_ID.test(id))
      continue
    const file = path.join(root, 'demos', id, RECORDING_FILE)
    if (!existsSync(file))
      continue
    try {
      const cast = parseCast(readFileSync(file, 'utf8'), file)
      out.set(id, { cols: cast.header.width, rows: cast.header.height, output: cast.events.filter(e => e[1] === 'o').map(e => e[2]).join('') })
    }
    catch {} // a broken recording: the slide shows no screen
  }
  return out
}
