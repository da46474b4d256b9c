/**
 * `npm run test:naive`: runs the security tests against the naive bridge (./bridge.ts) and fails
 * unless every one of them fails there: a test that passes against a bridge without defences
 * cannot catch the failure it names. Tests titled `control: …` check what such a bridge gets
 * right too (a legitimate window connects, a plain foreground program ends with its pty), so
 * they may pass. export.test.ts and raw-exit.test.ts are left out: they run `slidev` with the
 * deck's own plugin, not a bridge this script can swap (raw-exit is checked against the
 * fallback instead: LT_CGROUP=none fails it). escape*.test.ts are left out too: each escape is
 * aimed at one cleanup method (the environment tag, a process session), so some of them slip
 * past the naive bridge's hangup and others past the tag fallback; the cgroup catches them all.
 */
import { spawn } from 'node:child_process'
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import { procsWithEnv } from '../helpers/procs.ts'
import { NAIVE_TAG } from './bridge.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

interface JsonReport {
  testResults: { name: string, assertionResults: { fullName: string, title: string, status: string, failureMessages: string[] }[] }[]
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'naive-'))
const out = path.join(tmp, 'report.json')
// Vitest's own output is long here (every test fails, by design): it goes to a log, and only
// its one line per finished test is shown, as progress.
const logFile = path.join(os.tmpdir(), `naive-bridge-${process.pid}.log`)
const run = `naive-${process.pid}`
console.log(`Running the security tests against the naive bridge; each must fail (full output: ${logFile}).\n`)
const vitest = spawn(path.join(ROOT, 'node_modules/.bin/vitest'), [
  'run',
  'tests/integration/security',
  '--exclude',
  '**/export.test.ts',
  '--exclude',
  '**/raw-exit.test.ts',
  '--exclude',
  '**/escape*.test.ts',
  '--reporter=verbose',
  '--reporter=json',
  `--outputFile.json=${out}`,
], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LT_BRIDGE: 'naive', [NAIVE_TAG]: run } })
const log = createWriteStream(logFile)
vitest.stderr.pipe(log, { end: false })
for await (const line of createInterface({ input: vitest.stdout })) {
  log.write(`${line}\n`)
  const result = stripVTControlCharacters(line).match(/^\s*([✓×↓])\s+tests\/integration\/security\/(.*)$/)
  if (result)
    console.log(`  ${({ '×': 'caught ', '✓': 'passed ', '↓': 'skipped' })[result[1]!]} ${result[2]}`)
}
const status = await new Promise<number | null>(r => vitest.once('close', r))
log.end()

// The naive bridge leaks processes by design (that is what the cleanup tests catch).
const leaked = procsWithEnv(`${NAIVE_TAG}=${run}`)
for (const p of leaked) {
  try {
    process.kill(p.pid, 'SIGKILL')
  }
  catch {}
}

let report: JsonReport
try {
  report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport
}
catch (err) {
  console.error(`✗ vitest wrote no report (exit ${status}; see ${logFile}): ${(err as Error).message}`)
  process.exit(1)
}
finally {
  rmSync(tmp, { recursive: true, force: true })
}

/** Why a test failed, in one line. */
function firstLine(message = ''): string {
  return stripVTControlCharacters(message).split('\n').find(l => l.trim())?.trim().slice(0, 150) ?? ''
}

let escaped = 0
let caught = 0
console.log('\nAgainst the naive bridge:')
for (const file of report.testResults) {
  console.log(`  ${path.relative(ROOT, file.name)}`)
  for (const t of file.assertionResults) {
    const control = t.title.startsWith('control:')
    const failed = t.status === 'failed'
    if (control)
      console.log(`    · ${t.title} (${t.status})`)
    else if (failed)
      console.log(`    ✓ caught   ${t.title}\n               ${firstLine(t.failureMessages[0])}`)
    else
      console.log(`    ✗ ${t.status.padEnd(8)} ${t.title}`)
    if (!control) {
      caught += failed ? 1 : 0
      escaped += failed ? 0 : 1
    }
  }
}
console.log(`\n${caught} tests caught the naive bridge, ${escaped} did not; ${leaked.length} leaked processes killed.`)
if (caught === 0 || escaped > 0) {
  console.error(escaped > 0 ? '✗ a security test that passes against the naive bridge cannot catch what it names: strengthen it' : '✗ no test ran')
  process.exit(1)
}
