/**
 * Finding and ending every process a terminal session started. Interactive bash puts each job
 * in its own process group, so killing the shell's group is not enough: we take every process
 * in the shell's session (setsid by node-pty) plus all descendants, read from /proc, plus every
 * process carrying the session's environment tag (a daemon that did setsid and was orphaned is
 * in neither the session nor the tree any more, but it inherited the environment).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { escalate, signalAll } from './escalation.ts'

/** Whether a process of this pid exists (one of another user counts: EPERM). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  }
  catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface ProcInfo { pid: number, ppid: number, pgrp: number, session: number, state: string, comm: string }

export function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // comm may contain spaces and parentheses: the fields after it follow the last ')'.
    const close = stat.lastIndexOf(')')
    const comm = stat.slice(stat.indexOf('(') + 1, close)
    const rest = stat.slice(close + 2).split(' ')
    return { pid, comm, state: rest[0]!, ppid: Number(rest[1]), pgrp: Number(rest[2]), session: Number(rest[3]) }
  }
  catch {
    return undefined // gone meanwhile
  }
}

export function allProcs(): ProcInfo[] {
  const out: ProcInfo[] = []
  for (const name of readdirSync('/proc')) {
    if (/^\d+$/.test(name)) {
      const p = readProc(Number(name))
      if (p)
        out.push(p)
    }
  }
  return out
}

/** Does `pid`'s environment contain the exact entry `tag` (`NAME=value`)? */
export function hasTag(pid: number, tag: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(tag)
  }
  catch {
    return false // gone, a kernel thread, or not ours to read
  }
}

/**
 * The live processes (zombies excluded) of the session led by `leader`, their descendants, and
 * (given `tag`, an environment entry `NAME=value` set on the shell) every process that carries it.
 *
 * One scan is not a consistent snapshot: /proc is listed first and read after, so a shell that
 * forks a job and exits in between shows neither. Callers that conclude "none left" from an
 * empty answer must scan again (see `settled`).
 */
export function sessionProcesses(leader: number, includeZombies = false, tag?: string): number[] {
  const procs = allProcs()
  const members = new Set<number>()
  for (const p of procs) {
    if (p.pid === leader || p.session === leader || (tag && p.state !== 'Z' && hasTag(p.pid, tag)))
      members.add(p.pid)
  }
  // Descendants that left the session (setsid, daemons started by a demo) still belong to it.
  withDescendants(procs, members)
  return procs.filter(p => members.has(p.pid) && (includeZombies || p.state !== 'Z')).map(p => p.pid)
}

/** Adds to `found` every descendant (in `procs`) of the pids already in it; returns `found`. */
export function withDescendants(procs: ProcInfo[], found: Set<number>): Set<number> {
  let grew = true
  while (grew) {
    grew = false
    for (const p of procs) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid)
        grew = true
      }
    }
  }
  return found
}


/** A scan, repeated when empty: the second listing of /proc starts after every process the first missed was born. */
function settled(leader: number, tag: string | undefined, includeZombies = false): number[] {
  const left = sessionProcesses(leader, includeZombies, tag)
  return left.length > 0 ? left : sessionProcesses(leader, includeZombies, tag)
}

/**
 * Ends every process of the session (and, given `tag`, every process carrying it) by the one
 * escalation (escalation.ts), then waits until they are reaped; returns the pids that needed SIGKILL.
 */
export async function killSession(leader: number, graceMs = 400, tag?: string): Promise<number[]> {
  return reaped(leader, tag, await escalate(() => settled(leader, tag), graceMs))
}

/**
 * Dead processes stay in /proc until their parent reaps them (node-pty for the shell, init for
 * orphans), which takes a moment: wait for that, bounded, so that "ended" means gone.
 */
async function reaped<T>(leader: number, tag: string | undefined, result: T): Promise<T> {
  const until = Date.now() + 3000
  while (settled(leader, tag, true).length > 0 && Date.now() < until) {
    // Only the dead should be left here; anything alive slipped through a race: no more grace.
    signalAll(sessionProcesses(leader, false, tag), 'SIGKILL')
    await sleep(50)
  }
  return result
}
