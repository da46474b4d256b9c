/**
 * Rehearsal: wall time per demo. When server/cli/rehearse.ts exists, `npm run rehearse -- shell`
 * is run (and timed) on a copy of demos/shell (`--demos-dir`, so the repo's recording is left
 * alone) for one fresh recording; every other demos/<id>/recording.cast written by earlier
 * rehearsals is read (asciicast v2) and its duration is the last event's time. Demos without a
 * recording are listed as such; with neither, the section is skipped with a note.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseCast } from '../common/asciicast.ts'
import { fileExists, progress, REPO, round, runCommand } from './lib.ts'

export interface DemoRehearsal {
  /** Seconds from the recording's start to its last event. */
  wallS: number
  events: number
  steps: number
  recordedAt: string
}

export interface RehearsalResult {
  skipped?: string
  /** The bench's own `npm run rehearse -- shell` run, when it could run it. */
  shellRun?: { ok: boolean, ms: number, note?: string }
  demos: Record<string, DemoRehearsal | { missing: string }>
}

const DEMOS = path.join(REPO, 'demos')

function readCast(file: string): DemoRehearsal {
  const cast = parseCast(readFileSync(file, 'utf8'))
  const last = cast.events.at(-1)
  return {
    wallS: round(last ? last[0] : 0, 2),
    events: cast.events.length,
    steps: cast.events.filter(e => e[1] === 'm').length,
    recordedAt: statSync(file).mtime.toISOString(),
  }
}

export async function measureRehearsal(): Promise<RehearsalResult> {
  const result: RehearsalResult = { demos: {} }
  let fresh: DemoRehearsal | undefined
  if (fileExists(path.join(REPO, 'server/cli/rehearse.ts'))) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-rehearse-'))
    try {
      cpSync(path.join(DEMOS, 'shell'), path.join(tmp, 'shell'), { recursive: true })
      rmSync(path.join(tmp, 'shell', 'recording.cast'), { force: true })
      const r = await runCommand('npm', ['run', '--silent', 'rehearse', '--', 'shell', '--demos-dir', tmp], { cwd: REPO, timeoutMs: 180_000 })
      const cast = path.join(tmp, 'shell', 'recording.cast')
      const ok = r.code === 0 && fileExists(cast)
      result.shellRun = { ok, ms: round(r.ms, 0), ...(ok ? {} : { note: r.output.trim().split('\n').slice(-3).join(' / ') }) }
      if (ok)
        fresh = readCast(cast)
      progress(`  rehearse shell: ${ok ? `ok, ${fresh!.wallS} s recorded` : `failed (exit ${r.code})`}; command took ${round(r.ms / 1000, 1)} s`)
    }
    finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  }
  const ids = readdirSync(DEMOS).filter(d => !d.startsWith('_') && fileExists(path.join(DEMOS, d, 'demo.yaml'))).sort()
  for (const id of ids) {
    const file = path.join(DEMOS, id, 'recording.cast')
    if (id === 'shell' && fresh) {
      result.demos[id] = fresh
      continue
    }
    try {
      result.demos[id] = fileExists(file) ? readCast(file) : { missing: 'no recording.cast (not rehearsed here)' }
    }
    catch (err) {
      result.demos[id] = { missing: `unreadable recording: ${(err as Error).message}` }
    }
  }
  if (!result.shellRun && Object.values(result.demos).every(d => 'missing' in d))
    result.skipped = 'no server/cli/rehearse.ts and no demos/*/recording.cast'
  return result
}
