/**
 * npm run rehearse [-- ids...] [--strict] [--allow-unmet NEED]
 * Runs every demo (or the ones named) headless, checks each step, writes its recording.
 */
import type { Demo } from '../demos/demos.ts'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { DemoError, DEMOS_DIR, listDemoIds, loadDemo } from '../demos/demos.ts'
import { unmetNeeds } from '../demos/needs.ts'
import { rehearse } from '../rehearse/rehearse.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'strict': { type: 'boolean', default: false },
    'allow-unmet': { type: 'string', multiple: true, default: [] },
    'typing-delay': { type: 'string' },
    'demos-dir': { type: 'string' },
    'help': { type: 'boolean', short: 'h', default: false },
  },
})

if (values.help) {
  console.log(`usage: npm run rehearse -- [demo ids...] [--strict] [--allow-unmet NEED]... [--typing-delay MS] [--demos-dir DIR]

Runs each demo headless in a real terminal: setup, every step with its expected output, reset.
A passing run is saved as demos/<id>/recording.cast (asciicast v2), which the PDF and the
static build show. A demo whose needs are unmet is skipped, or fails with --strict unless
every unmet need is named by --allow-unmet (e.g. --allow-unmet metrics-server).`)
  process.exit(0)
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`
const allowed = new Set(values['allow-unmet'].flatMap(s => s.split(',')))
const typingDelayMs = values['typing-delay'] === undefined ? undefined : Number(values['typing-delay'])

const demosDir = values['demos-dir'] ? path.resolve(values['demos-dir']) : DEMOS_DIR
const ids = positionals.length > 0 ? positionals : listDemoIds(demosDir)
const demos: Demo[] = []
let invalid = 0
for (const id of ids) {
  try {
    demos.push(loadDemo(id, demosDir))
  }
  catch (err) {
    if (!(err instanceof DemoError))
      throw err
    console.error(`✗ ${err.message}`)
    invalid++
  }
}

const summary: string[] = []
let failed = invalid
const t0 = Date.now()
for (const demo of demos) {
  const unmet = await unmetNeeds(demo)
  if (unmet.length > 0) {
    const reasons = unmet.map(u => `${u.need}: ${u.detail}`).join('; ')
    const tolerated = unmet.every(u => allowed.has(u.need))
    if (values.strict && !tolerated) {
      console.log(`✗ ${demo.id}: needs not met (${reasons})`)
      summary.push(`✗ ${demo.id}  unmet needs`)
      failed++
    }
    else {
      console.log(`– ${demo.id}: skipped, ${reasons}`)
      summary.push(`– ${demo.id}  skipped (${unmet.map(u => u.need).join(', ')})`)
    }
    continue
  }
  console.log(`▶ ${demo.id}: ${demo.title}`)
  const result = await rehearse(demo, {
    typingDelayMs,
    onEvent(e) {
      switch (e.kind) {
        case 'setup':
          if (demo.setup)
            console.log(`  setup (${demo.setup}) …`)
          break
        case 'ready':
          console.log(`  shell ready after ${secs(e.ms)}`)
          break
        case 'step-start':
          process.stdout.write(`  [${e.index + 1}/${demo.steps.length}] ${e.step.type} `)
          break
        case 'step-done':
          console.log(`✓ ${secs(e.ms)}`)
          break
        case 'reset':
          console.log(`  reset ${e.ok ? '✓' : `✗\n${e.output.replace(/^/gm, '    ')}`} ${secs(e.ms)}`)
          break
        case 'clean':
          console.log(e.leftovers.length === 0 ? '  nothing left behind ✓' : `  left behind ✗: ${e.leftovers.join(', ')}`)
          break
      }
    },
  })
  if (result.ok) {
    console.log(`✓ ${demo.id} passed in ${secs(result.ms)} → ${path.relative(process.cwd(), result.recording)}`)
    summary.push(`✓ ${demo.id}  ${secs(result.ms)}`)
  }
  else {
    failed++
    const f = result.failure
    const where = 'step' in f ? `step ${f.index + 1} "${f.step.type}"` : f.stage === 'setup' ? 'setup' : 'cleanup'
    console.log(`✗\n✗ ${demo.id} failed at ${where}: ${f.reason}`)
    console.log(`  last lines of output:\n${f.lastLines.replace(/^/gm, '    | ')}`)
    summary.push(`✗ ${demo.id}  ${where}`)
  }
}

console.log(`\n${summary.join('\n')}\n${demos.length} demos in ${secs(Date.now() - t0)}, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
