/**
 * `npm run test:naive`: shows that each security test can fail, by running it where the defence
 * it names is missing, and fails unless it does fail there.
 *
 * 1. The security tests against the naive bridge (./bridge.ts): every one must fail. Tests
 *    titled `control: …` check what such a bridge gets right too (a legitimate window connects,
 *    a plain foreground program ends with its pty), so they may pass. export.test.ts is left
 *    out: it runs `slidev` with the deck's own plugin, not a bridge this script can swap.
 * 2. The cleanup escapes (escape.test.ts, raw-exit.test.ts) against two weaker cleanups: the
 *    naive bridge's hangup and our own fallback without a cgroup (LT_CGROUP=none: process
 *    sessions and the environment tag). Each escape is aimed at one method (nohup slips past a
 *    hangup, `env -i setsid` past the tag), so each must fail against at least one of them; only
 *    the cgroup stops them all. (escape-v1.test.ts runs the same escapes under the v1 freezer.)
 * 3. The follow security tests (follow.test.ts) also against follow mode without its own code
 *    path: the follow address handed to the project's own bridge, with all its defences
 *    (LT_FOLLOW_VARIANT=ordinary, tests/naive/follow.ts). Every one must fail there too: what a
 *    follower may do is the follow endpoint's to say, not the ordinary bridge's.
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
const SECURITY = 'tests/integration/security'

/** One test's result; `title` without its describe blocks, whose names may vary by run (the cgroup mode). */
interface Outcome { file: string, title: string, fullName: string, failed: boolean, why: string }
interface JsonReport {
  testResults: { name: string, assertionResults: { fullName: string, title: string, status: string, failureMessages: string[] }[] }[]
}

// Vitest's own output is long here (most tests fail, by design): it goes to a log, and only its
// one line per finished test is shown, as progress.
const logFile = path.join(os.tmpdir(), `naive-bridge-${process.pid}.log`)
const log = createWriteStream(logFile)
const run = `naive-${process.pid}`

/** Runs Vitest on `args` with `env`; returns each test's outcome. */
async function runTests(label: string, args: string[], env: Record<string, string>): Promise<Outcome[]> {
  console.log(`\n${label}:`)
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'naive-'))
  const out = path.join(tmp, 'report.json')
  const vitest = spawn(path.join(ROOT, 'node_modules/.bin/vitest'), ['run', ...args, '--reporter=verbose', '--reporter=json', `--outputFile.json=${out}`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  })
  vitest.stderr.pipe(log, { end: false })
  for await (const line of createInterface({ input: vitest.stdout })) {
    log.write(`${line}\n`)
    const result = stripVTControlCharacters(line).match(new RegExp(`^\\s*([✓×↓])\\s+${SECURITY}/(.*)$`))
    if (result)
      console.log(`  ${({ '×': 'failed ', '✓': 'passed ', '↓': 'skipped' })[result[1]!]} ${result[2]}`)
  }
  const status = await new Promise<number | null>(r => vitest.once('close', r))
  // The naive bridge leaks processes by design (that is what the cleanup tests catch).
  for (const p of procsWithEnv(`${NAIVE_TAG}=${run}`)) {
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
  return report.testResults.flatMap(file => file.assertionResults
    .filter(t => t.status !== 'skipped' && t.status !== 'pending')
    .map(t => ({ file: path.relative(ROOT, file.name), title: t.title, fullName: t.fullName, failed: t.status === 'failed', why: firstLine(t.failureMessages[0]) })))
}

/** Why a test failed, in one line. */
function firstLine(message = ''): string {
  return stripVTControlCharacters(message).split('\n').find(l => l.trim())?.trim().slice(0, 150) ?? ''
}

const naiveEnv = { LT_BRIDGE: 'naive', [NAIVE_TAG]: run }
console.log(`Running the security tests where their defence is missing; each must fail there (full output: ${logFile}).`)
const naive = await runTests('The security tests against the naive bridge', [SECURITY, '--exclude', '**/export.test.ts', '--exclude', '**/raw-exit.test.ts', '--exclude', '**/escape*.test.ts'], naiveEnv)
const escapesNaive = await runTests('The escapes against the naive bridge\'s hangup', [`${SECURITY}/escape.test.ts`], naiveEnv)
const escapesFallback = await runTests('The escapes against the fallback without a cgroup (LT_CGROUP=none)', [`${SECURITY}/escape.test.ts`, `${SECURITY}/raw-exit.test.ts`], { LT_CGROUP: 'none' })
const ordinary = await runTests('The follow security tests against the ordinary bridge (the follow address handed to it, LT_FOLLOW_VARIANT=ordinary)', [`${SECURITY}/follow.test.ts`], { LT_FOLLOW_VARIANT: 'ordinary' })

let caught = 0
const uncaught: string[] = []
/** Each test but the controls must have failed against `against`. */
function tally(against: string, outcomes: Outcome[]): void {
  console.log(`\nAgainst ${against}:`)
  for (const o of outcomes) {
    const name = `${o.file} > ${o.fullName}`
    const control = o.title.startsWith('control:')
    console.log(control ? `  · ${name} (${o.failed ? 'failed' : 'passed'})` : o.failed ? `  ✓ caught   ${name}\n             ${o.why}` : `  ✗ passed   ${name}`)
    if (!control && o.failed)
      caught++
    else if (!control)
      uncaught.push(`${name} (against ${against})`)
  }
}
tally('the naive bridge', naive)
tally('the ordinary bridge behind the follow address', ordinary)
console.log('\nThe escapes, against the hangup (naive) and the tag fallback (LT_CGROUP=none):')
const byTest = (outcomes: Outcome[]) => new Map(outcomes.map(o => [`${o.file} > ${o.title}`, o]))
const [hangup, fallback] = [byTest(escapesNaive), byTest(escapesFallback)]
for (const name of new Set([...hangup.keys(), ...fallback.keys()])) {
  const by = [['hangup', hangup.get(name)], ['tag fallback', fallback.get(name)]] as const
  const caughtBy = by.filter(([, o]) => o?.failed).map(([method]) => method)
  const why = by.find(([, o]) => o?.failed)?.[1]?.why
  console.log(caughtBy.length > 0 ? `  ✓ caught   ${name}\n             fails with ${caughtBy.join(' or ')} alone: ${why}` : `  ✗ passed   ${name} (against ${by.filter(([, o]) => o).map(([m]) => m).join(' and ')})`)
  if (caughtBy.length > 0)
    caught++
  else
    uncaught.push(name)
}
log.end()

console.log(`\n${caught} tests failed where their defence is missing, ${uncaught.length} did not.`)
if (caught === 0 || uncaught.length > 0) {
  console.error(uncaught.length > 0 ? `✗ a security test that passes without its defence cannot catch what it names: strengthen it\n  ${uncaught.join('\n  ')}` : '✗ no test ran')
  process.exit(1)
}
