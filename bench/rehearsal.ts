/**
 * Rehearsal: wall time per demo. `npm run rehearse -- shell` is run (and timed) on a copy of
 * demos/shell (`--demos-dir`, so the repo's recording is left alone) for one fresh recording;
 * every other demos/<id>/recording.cast written by earlier rehearsals is read (asciicast v2) and
 * its duration is the last event's time. Demos without a recording are listed as such.
 *
 * The whole rehearsal's wall time (`oneNodeS`, `twoNodeS`) comes from the reports of real runs,
 * `REHEARSAL_REPORT=file[,file] npm run bench -- rehearsal`, each written by
 * `npm run rehearse -- ... --report FILE`: the bench does not run them itself, because it runs in
 * a network namespace of its own (bench/netns.ts) where k8s-node-failure's restart of a node
 * would start that node's kubelet. A passing run on one Ready node is `oneNodeS` (CI's first
 * pass); one on two nodes with the second on containerd is `twoNodeS` (CI's last pass); any
 * other run is kept in `runs` only, with its nodes and runtimes.
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

/** One whole rehearsal, from the report it wrote. */
export interface RehearsalRun {
  at: string
  args: string[]
  jobs: number
  wallS: number
  failed: number
  readyNodes?: string[]
  nodeRuntimes?: string
  /** Which figure it is, if any. */
  counts?: 'oneNodeS' | 'twoNodeS'
  /** Seconds from the first start to the last judgement of the demos that are not exclusive: the run without the ones that run alone. */
  sharedS?: number
  /** Per demo: its outcome, its start, the end of its reset and its judgement, in seconds from the run's start. */
  demos: Record<string, { outcome: string, exclusive: boolean, startS?: number, endS?: number, judgedS?: number }>
}

export interface RehearsalResult {
  /** The bench's own `npm run rehearse -- shell` run, when it could run it. */
  shellRun?: { ok: boolean, ms: number, note?: string }
  demos: Record<string, DemoRehearsal | { missing: string }>
  /** The whole parallel rehearsal on one node (goal ≤ 240 s) and on two, node 2 on containerd (≤ 300 s). */
  oneNodeS?: number
  twoNodeS?: number
  runs?: RehearsalRun[]
}

interface Report {
  args: string[]
  jobs: number
  startedAt: number
  ms: number
  failed: number
  readyNodes?: string[]
  nodeRuntimes?: string
  demos: Record<string, { outcome: string, exclusive: boolean, startedAt?: number, endedAt?: number, judgedAt?: number }>
}

/** Reads a rehearsal's report and says which figure it is. */
export function readRehearsalReport(file: string): RehearsalRun {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Report
  const s = (t: number | undefined) => t === undefined ? undefined : round((t - r.startedAt) / 1000, 1)
  const nodes = r.readyNodes?.length ?? 0
  const counts = r.failed > 0
    ? undefined
    : nodes === 1
      ? 'oneNodeS'
      : nodes === 2 && /containerd:\/\//.test(r.nodeRuntimes ?? '')
        ? 'twoNodeS'
        : undefined
  const shared = Object.values(r.demos).filter(d => !d.exclusive && d.startedAt !== undefined && d.judgedAt !== undefined)
  const sharedS = shared.length > 0 ? round((Math.max(...shared.map(d => d.judgedAt!)) - Math.min(...shared.map(d => d.startedAt!))) / 1000, 1) : undefined
  return {
    at: new Date(r.startedAt).toISOString(),
    sharedS,
    args: r.args,
    jobs: r.jobs,
    wallS: round(r.ms / 1000, 1),
    failed: r.failed,
    readyNodes: r.readyNodes,
    nodeRuntimes: r.nodeRuntimes,
    counts,
    demos: Object.fromEntries(Object.entries(r.demos).map(([id, d]) => [id, { outcome: d.outcome, exclusive: d.exclusive, startS: s(d.startedAt), endS: s(d.endedAt), judgedS: s(d.judgedAt) }])),
  }
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

export async function measureRehearsal(reports = process.env.REHEARSAL_REPORT): Promise<RehearsalResult> {
  const result: RehearsalResult = { demos: {} }
  for (const file of (reports ?? '').split(',').filter(Boolean)) {
    const run = readRehearsalReport(path.resolve(REPO, file))
    result.runs = [...result.runs ?? [], run]
    if (run.counts)
      result[run.counts] = run.wallS
    progress(`  rehearsal report ${file}: ${run.wallS} s, ${run.jobs} at once, ${run.readyNodes?.length ?? 0} nodes (${run.nodeRuntimes ?? '–'}), ${run.failed} failed${run.counts ? ` → ${run.counts}` : ''}`)
  }
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
