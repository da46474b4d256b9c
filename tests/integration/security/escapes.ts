/**
 * The ways a process started in a demo's shell (or by its setup script) can leave the shell's
 * session, its process tree or its environment; each must still end with the demo. Shared by
 * escape.test.ts (this machine's containment) and escape-v1.test.ts (the cgroup v1 freezer).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cgroupMode } from '../../../server/containment/cgroup.ts'
import { SESSION_END_MS } from '../../helpers/procs.ts'
import { tinyDemos } from '../../../dev/decks.ts'
import { waitFor } from '../../../dev/wait.ts'
import { startBridge } from '../../helpers/bridge-under-test.ts'
import type { TestBridge } from '../../helpers/bridge-under-test.ts'

/**
 * Processes whose command line mentions `word` (the escapes clear or change the environment),
 * or, with `exact`, is exactly `word`: the command that starts an escape (`su … 'setsid -f sleep
 * n'`, `tmux … 'sleep n'`) mentions it too, and must not count as the escape having started.
 */
function procsMentioning(word: string, exact = false): string[] {
  const out: string[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid)
      continue
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ')
      const state = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.[0]
      if ((exact ? cmd.trim() === word : cmd.includes(word)) && state !== 'Z')
        out.push(`${name} ${cmd.trim()}`)
    }
    catch {} // gone meanwhile
  }
  return out
}

/** A number no other process's command line carries: `sleep <n>` is findable without an environment. */
const unique = () => String(800_000 + Math.floor(Math.random() * 199_999))

/** Each escape, as typed into the demo's root shell: `n` marks the process that must not survive. */
export const ESCAPES: [string, (n: string) => string][] = [
  ['env -i setsid', n => `env -i setsid -f sleep ${n}`],
  ['removing the tag variable', n => `env -u LIVE_TERMINAL_SESSION setsid -f sleep ${n}`],
  ['exec -c', n => `(exec -c setsid -f sleep ${n})`],
  ['su - root -c \'setsid …\'', n => `su - root -c 'setsid -f sleep ${n}'`],
  ['nohup', n => `nohup sleep ${n} >/dev/null 2>&1 &`],
  ['tmux new -d', n => `tmux -L lt-${n} new -d 'sleep ${n}'`],
  ['disown', n => `sleep ${n} & disown`],
]

/** `only`: run just where this containment is what the machine gives (the v1 freezer exists only on v1 or hybrid hosts). */
export function describeEscapes(label: string, only?: 'v1-freezer'): void {
  const demos = tinyDemos(['shell', 'scripted'], {
    scripted: 'title: setup leaves daemons\nsetup: setup.sh\nsteps:\n  - type: echo hi\n',
  })
  const marks: string[] = []
  let b: TestBridge

  beforeAll(async () => {
    b = await startBridge({ demosDir: demos.dir })
  })
  afterAll(async () => {
    await b.close()
    // Hygiene after a failure: what escaped would otherwise run on for days.
    for (const mark of marks) {
      for (const line of procsMentioning(mark)) {
        try {
          process.kill(Number(line.split(' ')[0]), 'SIGKILL')
        }
        catch {}
      }
    }
    demos.remove()
  })

  describe.skipIf(only !== undefined && cgroupMode().kind !== only)(`${label}: nothing a session started survives it (${cgroupMode().kind})`, () => {
    for (const [name, command] of ESCAPES) {
      it(`${name}`, async () => {
        const n = unique()
        marks.push(n)
        const c = await b.join({ demo: 'shell' })
        await c.waitForText(/\$ $/)
        c.send({ type: 'input', data: `${command(n)}\r` })
        await waitFor(() => procsMentioning(`sleep ${n}`, true).length > 0, `${name} to start sleep ${n}`, 10_000)
        await c.close()
        await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', SESSION_END_MS)
        expect(procsMentioning(n)).toEqual([])
      })
    }

    it('a setup script still running, and the daemons it started, end with the session', async () => {
      const [a, d] = [unique(), unique()]
      marks.push(a, d)
      // The shell never starts: setup is still running when the window leaves.
      writeFileSync(path.join(demos.dir, 'scripted', 'setup.sh'), `env -i setsid -f sleep ${d}\nsleep ${a}\n`)
      const c = await b.join({ demo: 'scripted' })
      await waitFor(() => procsMentioning(`sleep ${a}`, true).length > 0 && procsMentioning(`sleep ${d}`, true).length > 0, 'setup and its daemon to run', 10_000)
      await c.close()
      await waitFor(() => b.server.bridge.sessionInfo().length === 0, 'the session to end', SESSION_END_MS)
      expect([...procsMentioning(a), ...procsMentioning(d)]).toEqual([])
    })
  })
}
