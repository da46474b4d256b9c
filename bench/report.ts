/** The goals, the printed table and bench/results.json. */
import type { ArriveResult } from './arrive.ts'
import type { StartRun } from './deck-start.ts'
import type { EchoResult } from './echo.ts'
import type { ExportRun } from './export.ts'
import type { FloodResult } from './flood.ts'
import type { FollowResult } from './follow.ts'
import type { PrepareResult } from './prepare.ts'
import type { Machine } from './lib.ts'
import type { RadarResult } from './radar.ts'
import type { RehearsalResult } from './rehearsal.ts'
import type { ThroughputResult } from './throughput.ts'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { worstPromptMs } from './arrive.ts'
import { BENCH_DIR, round } from './lib.ts'

export interface Results {
  machine: Machine & { loadAfter?: number[], netns: boolean }
  runtimeS?: number
  echo?: EchoResult
  throughput?: ThroughputResult
  flood?: FloodResult
  deck?: {
    startRuns?: number
    startMs?: number
    plainStartMs?: number
    startRatio?: number
    startMinMs?: number
    plainStartMinMs?: number
    /** Until the dev server answered HTTP. */
    httpMs?: number
    plainHttpMs?: number
    requests?: number
    plainRequests?: number
    starts?: StartRun[]
    exportRuns?: number
    exportMsPerSlide?: number
    exportMs?: number
    pages?: number
    plainExport?: ExportRun
    marginalMsPerSlide?: number
    /** The first open after install (bench/first-open.ts). */
    firstOpenRuns?: number
    firstOpenReloads?: number
    coldFirstSlideMs?: number
    plainColdFirstSlideMs?: number
    warmFirstSlideMs?: number
    plainWarmFirstSlideMs?: number
  }
  rehearsal?: RehearsalResult
  arrive?: ArriveResult
  prepare?: PrepareResult
  radar?: RadarResult
  follow?: FollowResult
  errors: Record<string, string>
  /** When each section was last measured: a partial run keeps the other sections' figures. */
  measured?: Record<string, string>
  goals?: Goal[]
}

export interface Goal { name: string, value: string, baseline: string, ratio: string, target: string, met: boolean | undefined }

const ms = (x: number | undefined, d = 0) => x === undefined ? '–' : x >= 10_000 ? `${round(x / 1000, 1)} s` : `${round(x, d)} ms`
const x2 = (a: number | undefined, b: number | undefined) => a === undefined || b === undefined ? '' : `${round(a / b, 2)}×`

export function goals(r: Results): Goal[] {
  const e = r.echo
  const t = r.throughput
  const f = r.flood
  const d = r.deck
  const a = r.arrive
  const rh = r.rehearsal
  const fo = r.follow
  const pr = r.prepare
  const check = (ok: boolean | undefined, ...need: unknown[]) => need.some(v => v === undefined) ? undefined : ok
  return [
    { name: 'Echo p50', value: ms(e?.p50Ms, 3), baseline: ms(e?.rawP50Ms, 3), ratio: x2(e?.p50Ms, e?.rawP50Ms), target: '≤ 1.2× raw', met: check(e && e.p50Ms <= 1.2 * e.rawP50Ms, e) },
    { name: 'Echo p99', value: ms(e?.p99Ms, 2), baseline: ms(e?.rawP99Ms, 2), ratio: x2(e?.p99Ms, e?.rawP99Ms), target: '≤ 5 ms', met: check(e && e.p99Ms <= 5, e) },
    { name: 'Throughput', value: t ? `${t.mbps} MB/s` : '–', baseline: t ? `${t.rawMbps} MB/s` : '–', ratio: x2(t?.mbps, t?.rawMbps), target: '≥ 0.8× raw', met: check(t && t.mbps >= 0.8 * t.rawMbps, t) },
    { name: 'Ctrl-C under flood', value: f ? `${ms(f.ctrlCMs)} (worst ${ms(f.ctrlCMaxMs)})` : '–', baseline: '', ratio: '', target: '≤ 300 ms (worst)', met: check(f && f.ctrlCMaxMs <= 300, f) },
    { name: 'Server RSS growth', value: f ? `${f.rssGrowthMb} MB (peak +${round(f.rssPeakMb - f.rssBeforeMb, 1)})` : '–', baseline: '', ratio: '', target: '≤ 50 MB', met: check(f && f.rssGrowthMb <= 50, f) },
    { name: 'Deck start', value: d?.startMs !== undefined ? `${ms(d.startMs)} (min ${ms(d.startMinMs)})` : '–', baseline: d?.plainStartMs !== undefined ? `${ms(d.plainStartMs)} (min ${ms(d.plainStartMinMs)})` : '–', ratio: x2(d?.startMs, d?.plainStartMs), target: '≤ 1.3× plain', met: check(d?.startMs !== undefined && d.plainStartMs !== undefined && d.startMs <= 1.3 * d.plainStartMs, d?.startMs) },
    { name: 'First open: reloads', value: d?.firstOpenReloads !== undefined ? String(d.firstOpenReloads) : '–', baseline: '', ratio: '', target: '0 (/1 and first demo)', met: check(d?.firstOpenReloads === 0, d?.firstOpenReloads) },
    { name: 'First slide, cold', value: ms(d?.coldFirstSlideMs), baseline: ms(d?.plainColdFirstSlideMs), ratio: x2(d?.coldFirstSlideMs, d?.plainColdFirstSlideMs), target: 'beside plain', met: undefined },
    { name: 'First slide, warm', value: ms(d?.warmFirstSlideMs), baseline: ms(d?.plainWarmFirstSlideMs), ratio: x2(d?.warmFirstSlideMs, d?.plainWarmFirstSlideMs), target: 'beside plain', met: undefined },
    { name: 'Export per slide', value: d?.exportMsPerSlide !== undefined ? `${ms(d.exportMsPerSlide)} (${d.pages} pages)` : '–', baseline: d?.plainExport ? `${ms(d.plainExport.msPerSlide)} (plain, ${d.plainExport.pages} pages)` : '', ratio: '', target: '≤ 2 s', met: check(d?.exportMsPerSlide !== undefined && d.exportMsPerSlide <= 2000, d?.exportMsPerSlide) },
    { name: 'Demo prompt on arrival (worst)', value: ms(a && worstPromptMs(a), 1), baseline: a ? `slide without a terminal ${ms(a.plainSlideMs, 1)}; cold: ${Object.entries(a.coldPromptMs).map(([id, v]) => `${id} ${typeof v === 'number' ? ms(v) : '–'}`).join(', ')}` : '', ratio: '', target: '≤ 200 ms', met: check(a && (worstPromptMs(a) ?? Infinity) <= 200, a) },
    { name: 'prepare.leadS (worst)', value: pr ? worstLead(pr) : '–', baseline: pr ? `npm run prepare-demos ${pr.runS} s` : '', ratio: '', target: '≤ 15 s each', met: check(pr && Object.values(pr.leadS).every(v => typeof v === 'number' && v <= 15), pr) },
    { name: 'Rehearsal, one node', value: rh?.oneNodeS !== undefined ? `${rh.oneNodeS} s` : '–', baseline: '', ratio: '', target: '≤ 240 s', met: check(rh?.oneNodeS !== undefined && rh.oneNodeS <= 240, rh?.oneNodeS) },
    { name: 'Rehearsal, two nodes', value: rh?.twoNodeS !== undefined ? `${rh.twoNodeS} s` : '–', baseline: '', ratio: '', target: '≤ 300 s', met: check(rh?.twoNodeS !== undefined && rh.twoNodeS <= 300, rh?.twoNodeS) },
    { name: 'follow.presenterEchoRatio', value: fo ? `${ms(fo.echoP50FollowersMs, 3)} with ${fo.followers} followers` : '–', baseline: fo ? `${ms(fo.echoP50NoneMs, 3)} with none` : '', ratio: fo ? `${fo.presenterEchoRatio}×` : '', target: '≤ 1.2×', met: check(fo && fo.presenterEchoRatio <= 1.2, fo) },
    { name: 'follow.lagP95Ms', value: fo ? `${ms(fo.lagP95Ms, 1)} (max ${ms(fo.lagMaxMs, 1)}; ${fo.markersSeenByAll}/${fo.markers} markers seen by all)` : '–', baseline: '', ratio: '', target: '≤ 500 ms', met: check(fo && fo.lagP95Ms <= 500 && fo.markersSeenByAll === fo.markers, fo) },
    { name: 'follow.rssGrowthMb', value: fo ? `${fo.rssGrowthMb} MB (${fo.rssBeforeMb} → ${fo.rssWithFollowersMb})` : '–', baseline: '', ratio: '', target: '≤ 100 MB', met: check(fo && fo.rssGrowthMb <= 100, fo) },
    { name: 'follow.slowFollower', value: fo ? `echo p50 ${ms(fo.slowFollower.echoP50Ms, 3)} after 8 MB past a stuck follower; ${fo.slowFollower.dropped ? 'dropped' : 'NOT dropped'}` : '–', baseline: fo ? `${ms(fo.echoP50NoneMs, 3)} with none` : '', ratio: fo ? `${fo.slowFollower.ratio}×` : '', target: '≤ 1.2×, dropped', met: check(fo && fo.slowFollower.ratio <= 1.2 && fo.slowFollower.dropped, fo) },
    { name: 'step.doneDetectMs', value: r.radar ? `${ms(r.radar.doneDetectMs, 1)} (p95 ${ms(r.radar.doneDetectP95Ms, 1)}, ${r.radar.steps} steps)` : '–', baseline: '', ratio: '', target: '≤ 100 ms', met: check(r.radar && r.radar.doneDetectMs <= 100, r.radar) },
    { name: 'Click → first typed char', value: a?.clickToFirstCharMs !== undefined ? `${ms(a.clickToFirstCharMs, 1)} (worst ${ms(a.clickToFirstCharMaxMs, 1)})` : (a?.clickError ?? '–'), baseline: '', ratio: '', target: '≤ 50 ms', met: check(a?.clickToFirstCharMs !== undefined && a.clickToFirstCharMs <= 50, a?.clickToFirstCharMs) },
  ]
}

function worstLead(p: PrepareResult): string {
  const entries = Object.entries(p.leadS)
  const failed = entries.find(([, v]) => typeof v !== 'number')
  if (failed)
    return `${failed[0]}: ${failed[1]}`
  const [id, s] = entries.reduce((a, b) => (b[1] as number) > (a[1] as number) ? b : a)
  return `${s} s (${id})`
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(head), line(widths.map(w => '─'.repeat(w))), ...rows.map(line)].join('\n')
}

export function render(r: Results): string {
  const out: string[] = []
  const m = r.machine
  out.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.os}; load ${m.load.join(' ')}${m.loadAfter ? ` → ${m.loadAfter.join(' ')}` : ''}; ${m.date}${m.netns ? '; private network namespace (loopback only)' : ''}`)
  out.push('')
  out.push(table(['Measure', 'Ours', 'Baseline', 'Ratio', 'Goal', ''], (r.goals ?? []).map(g => [g.name, g.value, g.baseline, g.ratio, g.target, g.met === undefined ? 'n/a' : g.met ? '✓' : '✗'])))
  const runs = runCounts(r)
  if (runs)
    out.push(`Each figure is a median: ${runs}.`)
  if (r.rehearsal) {
    out.push('')
    out.push(table(['Demo', 'Wall time', 'Steps', 'Recorded'], Object.entries(r.rehearsal.demos).map(([id, d]) =>
      'missing' in d ? [id, '–', '', d.missing] : [id, `${d.wallS} s`, String(d.steps), d.recordedAt.replace('T', ' ').slice(0, 19)])))
    if (r.rehearsal.shellRun)
      out.push(`(npm run rehearse -- shell, run by the bench: ${r.rehearsal.shellRun.ok ? 'ok' : `failed: ${r.rehearsal.shellRun.note}`} in ${ms(r.rehearsal.shellRun.ms)})`)
    for (const run of r.rehearsal.runs ?? [])
      out.push(`(a whole rehearsal, ${run.at.slice(0, 16).replace('T', ' ')}: ${run.wallS} s, up to ${run.jobs} at once, ${run.readyNodes?.length ?? 0} nodes${run.nodeRuntimes ? ` (${run.nodeRuntimes})` : ''}, ${run.failed} failed${run.sharedS !== undefined ? `, the demos that are not exclusive ${run.sharedS} s` : ''}${run.counts ? `: ${run.counts}` : ': neither the one-node nor the two-node (containerd) pass'})`)
  }
  if (r.arrive) {
    const a = r.arrive
    const cell = (v: number | string | undefined) => typeof v === 'number' ? ms(v, 1) : (v ?? '–')
    out.push('')
    out.push(table(['Demo', 'Prompt on arrival', 'Cold (nothing prepared)', 'Prepared in'], Object.keys(a.promptMs).map(id =>
      [id, cell(a.promptMs[id]), cell(a.coldPromptMs[id]), cell(a.prepareMs?.[id])])))
    out.push(`(arrival: median of ${Object.values(a.promptSamples ?? {}).map(v => v.length).reduce((x, y) => Math.max(x, y), 1)}, each ${a.dwellMs / 1000} s after the demo was prepared, on the slide before; a slide without a terminal is shown after ${cell(a.plainSlideMs)}; "prepared in": from reaching that slide, the lead the presenter needs)`)
  }
  if (r.prepare) {
    const p = r.prepare
    out.push('')
    out.push(table(['Kubernetes demo', 'Lead after prepare-demos'], [
      ...Object.entries(p.leadS).map(([id, v]) => [id, typeof v === 'number' ? `${v} s` : v]),
      ...Object.entries(p.unmet).map(([id, why]) => [id, `not run here (${why})`]),
    ]))
    out.push(`(from a window joining the demo to its session ready, in the talk's order, the previous demo's reset running beside it; npm run prepare-demos took ${p.runS} s)`)
  }
  for (const [section, err] of Object.entries(r.errors))
    out.push(`✗ ${section} failed: ${err.split('\n')[0]}`)
  if (r.runtimeS !== undefined)
    out.push(`\nBench runtime: ${r.runtimeS} s`)
  return out.join('\n')
}

/** How many runs each median is taken over, as the table's footnote. */
function runCounts(r: Results): string {
  const parts: string[] = []
  if (r.echo)
    parts.push(`echo of ${r.echo.runs} runs × ${r.echo.keystrokesPerRun} keystrokes`)
  if (r.throughput)
    parts.push(`throughput of ${r.throughput.runs} runs`)
  if (r.flood)
    parts.push(`Ctrl-C of ${r.flood.rounds} floods (RSS: one deck across them)`)
  if (r.deck?.startRuns)
    parts.push(`deck start of ${r.deck.startRuns} starts`)
  if (r.deck?.firstOpenRuns)
    parts.push(`first open of ${r.deck.firstOpenRuns} fresh copies`)
  if (r.deck?.exportRuns)
    parts.push(`export of ${r.deck.exportRuns} exports`)
  if (r.follow)
    parts.push(`follow: one run, ${r.follow.keystrokes} keystrokes per echo figure`)
  return parts.join(', ')
}

const RESULTS_FILE = path.join(BENCH_DIR, 'results.json')

/**
 * A run of some sections updates only their figures in bench/results.json: the others, and
 * when they were measured, stay as the last run that measured them left them.
 */
export function mergeResults(fresh: Results, sections: readonly string[], file = RESULTS_FILE): Results {
  let previous: Partial<Results> = {}
  try {
    previous = JSON.parse(readFileSync(file, 'utf8')) as Partial<Results>
  }
  catch {}
  const merged: Record<string, unknown> = { ...previous }
  for (const [key, value] of Object.entries(fresh)) {
    const before = merged[key]
    const both = typeof value === 'object' && value !== null && !Array.isArray(value)
      && typeof before === 'object' && before !== null && !Array.isArray(before)
    // Section objects (deck is shared by three sections) are merged field by field.
    merged[key] = both && key !== 'machine' && key !== 'errors' ? { ...before, ...value } : value
  }
  const errors = { ...previous.errors }
  for (const s of sections)
    delete errors[s]
  const stamp = fresh.machine.date
  const r = merged as unknown as Results
  r.errors = { ...errors, ...fresh.errors }
  r.measured = { ...previous.measured, ...Object.fromEntries(sections.map(s => [s, stamp])) }
  r.goals = goals(r)
  return r
}

export function writeResults(r: Results, file = RESULTS_FILE): void {
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`)
}

const FIGURES = /(<!-- bench:figures:start -->\n)[\s\S]*?(<!-- bench:figures:end -->)/

/** Puts the printed table into docs/BENCHMARKS.md, between its markers (a full run only). */
export function writeDocFigures(r: Results, file = path.join(BENCH_DIR, '..', 'docs', 'BENCHMARKS.md')): boolean {
  const doc = readFileSync(file, 'utf8')
  if (!FIGURES.test(doc))
    return false
  writeFileSync(file, doc.replace(FIGURES, (_m, start: string, end: string) => `${start}\n\`\`\`\n${render(r)}\n\`\`\`\n\n${end}`))
  return true
}
