/**
 * Rehearsal: wall time per demo. `npm run rehearse -- shell` is run (and timed) on a copy of
 * demos/shell (`--demos-dir`, so the repo's recording is left alone) for one fresh recording;
 * every other demos/<id>/recording.cast written by earlier rehearsals is read (asciicast v2) and
 * its duration is the last event's time. Demos without a recording are listed as such.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseCast, RECORDING_FILE } from '../common/asciicast.ts'
import { DEMOS_DIR, listDemoIds } from '../server/demos/demos.ts'
import { progress, REPO, round } from './lib.ts'
import { runCommand } from './processes.ts'

export interface DemoRehearsal {
  /** Seconds from the recording's start to its last event. */
  wallS: number
  events: number
  steps: number
  recordedAt: string
}

export interface RehearsalResult {
  /** The bench's own `npm run rehearse -- shell` run, when it could run it. */
  shellRun?: { ok: boolean, ms: number, note?: string }
  demos: Record<string, DemoRehearsal | { missing: string }>
}

function readCast(file: string): DemoRehearsal {
  const cast = parseCast(readFileSync(file, 'utf8'), file)
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
  const fresh = await rehearseShell(result)
  for (const id of listDemoIds(DEMOS_DIR)) {
    const file = path.join(DEMOS_DIR, id, RECORDING_FILE)
    if (id === 'shell' && fresh) {
      result.demos[id] = fresh
      continue
    }
    try {
      result.demos[id] = existsSync(file) ? readCast(file) : { missing: `no ${RECORDING_FILE} (not rehearsed here)` }
    }
    catch (err) {
      result.demos[id] = { missing: `unreadable recording: ${(err as Error).message}` }
    }
  }
  return result
}

/** Runs `npm run rehearse -- shell` on a copy of the demo; its recording when it succeeded. */
async function rehearseShell(result: RehearsalResult): Promise<DemoRehearsal | undefined> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-rehearse-'))
  try {
    cpSync(path.join(DEMOS_DIR, 'shell'), path.join(tmp, 'shell'), { recursive: true })
    rmSync(path.join(tmp, 'shell', RECORDING_FILE), { force: true })
    const r = await runCommand('npm', ['run', '--silent', 'rehearse', '--', 'shell', '--demos-dir', tmp], { cwd: REPO, timeoutMs: 180_000 })
    const cast = path.join(tmp, 'shell', RECORDING_FILE)
    const ok = r.code === 0 && existsSync(cast)
    result.shellRun = { ok, ms: round(r.ms, 0), ...(ok ? {} : { note: r.output.trim().split('\n').slice(-3).join(' / ') }) }
    const fresh = ok ? readCast(cast) : undefined
    progress(`  rehearse shell: ${fresh ? `ok, ${fresh.wallS} s recorded` : `failed (exit ${r.code})`}; command took ${round(r.ms / 1000, 1)} s`)
    return fresh
  }
  finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}
