/**
 * npm run rehearse [-- ids...] [--strict] [--allow-unmet NEED] [--jobs N] [--report FILE]
 * Runs every demo (or the ones named) headless, checks each step, writes its recording; with
 * --jobs, several side by side (an `exclusive: true` demo alone).
 */
import type { Demo } from '../demos/demos.ts'
import type { Performed, RehearsalEvent, RehearsalResult } from '../rehearse/rehearse.ts'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { parseCast, RECORDING_FILE } from '../../common/asciicast.ts'
import { DEMOS_DIR, loadDemos } from '../demos/demos.ts'
import { readyNodes } from '../demos/cluster-checks.ts'
import { unmetNeeds } from '../demos/needs.ts'
import { nodeRuntimes } from '../rehearse/engine-versions.ts'
import { DemoHostSettingError, demoHostSetting, placement } from '../demo-host/placement.ts'
import { judge, perform } from '../rehearse/rehearse.ts'
import { defaultJobs, demoReporter, jobsOption, runScheduled } from '../rehearse/schedule.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'strict': { type: 'boolean', default: false },
    'allow-unmet': { type: 'string', multiple: true, default: [] },
    'typing-delay': { type: 'string' },
    'demos-dir': { type: 'string' },
    'jobs': { type: 'string', short: 'j' },
    'report': { type: 'string' },
    'help': { type: 'boolean', short: 'h', default: false },
  },
})

if (values.help) {
  console.log(`usage: npm run rehearse -- [demo ids...] [--strict] [--allow-unmet NEED]... [--jobs N] [--typing-delay MS] [--demos-dir DIR] [--report FILE]

Runs each demo headless in a real terminal: setup, every step with its expected output, reset.
A passing run is saved as demos/<id>/recording.cast (asciicast v2), which the PDF and the
static build show. A demo whose needs are unmet is skipped, or fails with --strict unless
every unmet need is named by --allow-unmet (e.g. --allow-unmet metrics-server).

--jobs N rehearses up to N demos at once, each in its own session, namespace and files (default,
also --jobs auto: ${defaultJobs()} here, two per CPU core, at most one per GiB of free memory); a demo with
\`exclusive: true\` in its demo.yaml runs with no other beside it. What the demos left behind is
judged whenever no demo is running. --report FILE writes each demo's outcome and times as JSON
(with the cluster's Ready nodes and their runtimes, for bench/rehearsal.ts).`)
  process.exit(0)
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`
const allowed = new Set(values['allow-unmet'].flatMap(s => s.split(',')))
const typingDelayMs = values['typing-delay'] === undefined ? undefined : Number(values['typing-delay'])
const jobs = jobsOption(values.jobs)
if (jobs === undefined) {
  console.error(`✗ --jobs ${values.jobs}: expected a whole number ≥ 1, or auto`)
  process.exit(2)
}

try {
  demoHostSetting()
}
catch (err) {
  if (!(err instanceof DemoHostSettingError))
    throw err
  console.error(`✗ ${err.message}`)
  process.exit(2)
}

const demosDir = values['demos-dir'] ? path.resolve(values['demos-dir']) : DEMOS_DIR
const { demos, errors } = loadDemos(positionals, demosDir)
errors.forEach(e => console.error(`✗ ${e}`))
const invalid = errors.length

type Outcome = 'passed' | 'failed' | 'skipped' | 'unmet'
interface DemoReport { outcome: Outcome, exclusive: boolean, startedAt?: number, endedAt?: number, judgedAt?: number, ms?: number, where?: string }
const report: Record<string, DemoReport> = {}
const summary = new Map<string, string>()
let failed = invalid
const t0 = Date.now()

const toRun: Demo[] = []
for (const demo of demos) {
  const unmet = await unmetNeeds(demo)
  if (unmet.length === 0) {
    toRun.push(demo)
    continue
  }
  const reasons = unmet.map(u => `${u.need}: ${u.detail}`).join('; ')
  const tolerated = unmet.every(u => allowed.has(u.need))
  if (values.strict && !tolerated) {
    console.log(`✗ ${demo.id}: needs not met (${reasons})`)
    summary.set(demo.id, `✗ ${demo.id}  unmet needs`)
    report[demo.id] = { outcome: 'unmet', exclusive: demo.exclusive }
    failed++
  }
  else {
    console.log(`– ${demo.id}: skipped, ${reasons}`)
    summary.set(demo.id, `– ${demo.id}  skipped (${unmet.map(u => u.need).join(', ')})`)
    report[demo.id] = { outcome: 'skipped', exclusive: demo.exclusive }
  }
}

/** Seconds the demo's last recording lasted (its last event), the estimate for scheduling. */
function rehearsedSeconds(demo: Demo): number {
  const file = path.join(demo.dir, RECORDING_FILE)
  try {
    return existsSync(file) ? parseCast(readFileSync(file, 'utf8'), file).events.at(-1)?.[0] ?? 0 : Infinity
  }
  catch {
    return Infinity
  }
}

// Side by side, the longest first (a demo never rehearsed counts as longest), so that the run
// ends soon after its longest demo; one at a time, in name order as listed.
const order = jobs > 1 ? [...toRun].sort((a, b) => rehearsedSeconds(b) - rehearsedSeconds(a)) : toRun
const say = demoReporter(toRun.map(d => d.id))
if (jobs > 1 && order.length > 1) {
  const alone = order.filter(d => d.exclusive).map(d => d.id)
  console.log(`rehearsing ${order.length} demos, up to ${jobs} at once${alone.length > 0 ? ` (alone: ${alone.join(', ')})` : ''}`)
}

function progress(demo: Demo, e: RehearsalEvent): void {
  switch (e.kind) {
    case 'setup':
      if (demo.setup)
        say(demo, `setup (${demo.setup}) …`)
      break
    case 'ready':
      say(demo, `shell ready after ${secs(e.ms)}`)
      break
    case 'step-done':
      say(demo, `[${e.index + 1}/${demo.steps.length}] ${e.step.type} ✓ ${secs(e.ms)}`)
      break
    case 'reset':
      say(demo, `reset ${e.ok ? '✓' : `✗\n${e.output.replace(/^/gm, '  ')}`} ${secs(e.ms)}`)
      break
    case 'clean':
      say(demo, e.leftovers.length === 0 ? 'nothing left behind ✓' : `left behind ✗: ${e.leftovers.join(', ')}`)
      break
  }
}

function conclude(demo: Demo, result: RehearsalResult): void {
  const entry = report[demo.id]!
  entry.judgedAt = Date.now()
  entry.ms = result.ms
  if (result.ok) {
    entry.outcome = 'passed'
    console.log(`✓ ${demo.id} passed in ${secs(result.ms)} → ${path.relative(process.cwd(), result.recording)}`)
    summary.set(demo.id, `✓ ${demo.id}  ${secs(result.ms)}`)
    return
  }
  failed++
  entry.outcome = 'failed'
  const f = result.failure
  const where = 'step' in f ? `step ${f.index + 1} "${f.step.type}"` : f.stage === 'setup' ? 'setup' : 'cleanup'
  entry.where = where
  if ('step' in f)
    say(demo, `[${f.index + 1}/${demo.steps.length}] ${f.step.type} ✗`)
  console.log(`✗ ${demo.id} failed at ${where}: ${f.reason}`)
  say(demo, `last lines of output:\n${f.lastLines.replace(/^/gm, '  | ')}`)
  summary.set(demo.id, `✗ ${demo.id}  ${where}`)
}

/** Runs that ended while other demos ran: judged at the next moment none runs. */
const unjudged: Performed[] = []
let running = 0

async function rehearseOne(demo: Demo): Promise<void> {
  report[demo.id] = { outcome: 'failed', exclusive: demo.exclusive, startedAt: Date.now() }
  const where = placement(demo)
  console.log(`▶ ${demo.id}: ${demo.title}${where.where === 'container' ? ` (in the demo host: ${where.why})` : ''}`)
  running++
  const options = { typingDelayMs, onEvent: (e: RehearsalEvent) => progress(demo, e) }
  let run: Performed
  try {
    run = await perform(demo, options)
  }
  catch (err) {
    running--
    report[demo.id]!.endedAt = Date.now()
    conclude(demo, { ok: false, ms: Date.now() - report[demo.id]!.startedAt!, failure: { stage: 'setup', reason: `rehearsal crashed: ${(err as Error).stack ?? err}`, lastLines: '' } })
    return
  }
  report[demo.id]!.endedAt = run.endedAt
  unjudged.push(run)
  // A failure is told at once; only a run that passed waits for its judgement to pass.
  if (!run.result.ok)
    conclude(demo, run.result)
  if (--running > 0)
    say(demo, `what it left behind: judged once no other demo runs (${running} still running)`)
}

/**
 * What each demo left behind is judged here, when no demo runs, against its footprint before its
 * setup: with demos side by side, a per-demo check right after its reset would count what the
 * others have made by then (a mount in a folder both name, a container named for the talk),
 * while one check around the whole run could not say which demo left what nor keep a demo's
 * leftover from being cleared by a later demo's setup. One at a time (--jobs 1, an exclusive
 * demo) this is right after the demo's reset, as a serial run always did.
 */
async function judgeWaiting(): Promise<void> {
  const runs = unjudged.splice(0)
  await Promise.all(runs.map(async (run) => {
    const result = await judge(run, { onEvent: e => progress(run.demo, e) })
    if (run.result.ok)
      conclude(run.demo, result)
    else
      report[run.demo.id]!.judgedAt = Date.now()
  }))
}

// The cluster the run starts on, for the report (a bench tells a one-node pass from a two-node one).
const cluster = values.report && toRun.some(d => d.needs.includes('kubectl')) ? { readyNodes: await readyNodes(), nodeRuntimes: await nodeRuntimes() } : {}
await runScheduled(order, jobs, rehearseOne, judgeWaiting)

const ms = Date.now() - t0
if (values.report) {
  const args = process.argv.slice(2)
  writeFileSync(values.report, `${JSON.stringify({ args, jobs, startedAt: t0, endedAt: t0 + ms, ms, failed, ...cluster, demos: report }, null, 2)}\n`)
}
const lines = demos.map(d => summary.get(d.id)).filter((l): l is string => l !== undefined)
console.log(`\n${lines.join('\n')}\n${demos.length} demos in ${secs(ms)}${jobs > 1 ? ` (up to ${jobs} at once)` : ''}, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
