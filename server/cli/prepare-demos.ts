/**
 * npm run prepare-demos [-- ids...] [--jobs N] [--undo]
 * Before the talk: runs every demo's setup (or the named ones') now, so that what it makes lasts
 * (the Kubernetes demos' images in the cluster, their namespaces, pods started and Ready). A
 * setup is idempotent and quick when its work is already done, so the deck's own run of it on
 * the way to the slide takes seconds. --undo runs the resets instead (after the talk).
 * Not named `prepare`: npm runs a script of that name on every `npm install` and `npm ci`.
 */
import type { Demo } from '../demos/demos.ts'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { DEMOS_DIR, loadDemos } from '../demos/demos.ts'
import { unmetNeeds } from '../demos/needs.ts'
import { runScript } from '../demos/scripts.ts'
import { defaultJobs, demoReporter, jobsOption, runScheduled } from '../rehearse/schedule.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'jobs': { type: 'string', short: 'j' },
    'undo': { type: 'boolean', default: false },
    'demos-dir': { type: 'string' },
    'help': { type: 'boolean', short: 'h', default: false },
  },
})

if (values.help) {
  console.log(`usage: npm run prepare-demos -- [demo ids...] [--jobs N] [--undo] [--demos-dir DIR]

Runs each demo's setup now and leaves what it made in place, so that on stage the deck's
preparation of a demo (from ${'`prepareAhead`'} slides before it) takes seconds: the Kubernetes
demos' images are in the cluster and their pods run and are Ready in each demo's namespace.
Run it before the talk, after the cluster is up. A demo whose needs are unmet is skipped.
--jobs N prepares up to N demos at once (default ${defaultJobs()} here, as rehearse); an
\`exclusive: true\` demo runs alone. --undo runs every reset instead: what prepare left goes.`)
  process.exit(0)
}

const which = values.undo ? 'reset' : 'setup'
const jobs = jobsOption(values.jobs)
if (jobs === undefined) {
  console.error(`✗ --jobs ${values.jobs}: expected a whole number ≥ 1, or auto`)
  process.exit(2)
}
const demosDir = values['demos-dir'] ? path.resolve(values['demos-dir']) : DEMOS_DIR
const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`
const t0 = Date.now()
const { demos, errors } = loadDemos(positionals, demosDir)
errors.forEach(e => console.error(`✗ ${e}`))
let failed = errors.length

const say = demoReporter(demos.map(d => d.id))

const toRun: Demo[] = []
for (const demo of demos) {
  if (!demo[which])
    continue
  const unmet = await unmetNeeds(demo)
  if (unmet.length > 0 && !values.undo) {
    say(demo, `skipped: ${unmet.map(u => `${u.need}: ${u.detail}`).join('; ')}`)
    continue
  }
  toRun.push(demo)
}

console.log(`${values.undo ? 'resetting' : 'preparing'} ${toRun.length} demos, up to ${jobs} at once`)
await runScheduled(toRun, jobs, async (demo) => {
  say(demo, `${which} (${demo[which]}) …`)
  const r = await runScript(demo, which)!.done
  if (r.ok)
    return say(demo, `${which} ✓ ${secs(r.ms)}`)
  failed++
  say(demo, `${which} ✗ ${secs(r.ms)} (exit ${r.code ?? 'none'}); its last lines:\n${r.output.trimEnd().split('\n').slice(-12).map(l => `  | ${l}`).join('\n')}`)
})
console.log(`\n${toRun.length} demos ${values.undo ? 'reset' : 'prepared'} in ${secs(Date.now() - t0)}, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
