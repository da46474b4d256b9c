/** Reading the process table straight from /proc, to prove what was (not) spawned or left behind. */
import type { ProcInfo } from '../../server/containment/process-tree.ts'
import { readFileSync } from 'node:fs'
import { allProcs, hasTag, readProc, withDescendants } from '../../server/containment/process-tree.ts'

export type Proc = ProcInfo

/**
 * How long a test waits for a session to end: killSession is bounded at about 6 s (HUP, TERM,
 * KILL, reaping by init), and its /proc scans slow down on a busy machine.
 */
export const SESSION_END_MS = 15_000
export { allProcs, readProc }

/** Every descendant of `root` (zombies included), read in one pass over /proc. */
export function descendants(root = process.pid): Proc[] {
  const procs = allProcs()
  const found = withDescendants(procs, new Set([root]))
  return procs.filter(p => p.pid !== root && found.has(p.pid))
}

/** Shells this test process spawned (node-pty forks them as our direct children). */
export function bashDescendants(root = process.pid): Proc[] {
  return descendants(root).filter(p => p.comm === 'bash')
}

/** Is there still an entry for `pid` in /proc (a zombie counts: it was not reaped)? */
export function exists(pid: number): boolean {
  return readProc(pid) !== undefined
}

/** Processes whose environment carries `NAME=value` (how a test marks what it started). */
export function procsWithEnv(entry: string): Proc[] {
  return allProcs().filter(p => hasTag(p.pid, entry))
}

/** Processes with an environment entry starting with `prefix`, and that entry (test hygiene). */
export function procsWithEnvPrefix(prefix: string): (Proc & { entry: string })[] {
  const out: (Proc & { entry: string })[] = []
  for (const p of allProcs()) {
    try {
      const entry = readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').find(e => e.startsWith(prefix))
      if (entry)
        out.push({ ...p, entry })
    }
    catch {} // gone, or not ours to read
  }
  return out
}

/** This test process's run: marks carry it, so runs side by side never count each other's processes. */
const RUN = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`

/** `LT_MARK=<name>-<run>`: put it in a command's environment to find that command's processes. */
export function marker(name: string): string {
  return `LT_MARK=${name}-${RUN}`
}
