/**
 * Finding and ending every process a terminal session started. Interactive bash puts each job
 * in its own process group, so killing the shell's group is not enough: we take every process
 * in the shell's session (setsid by node-pty) plus all descendants, read from /proc.
 */
import { readdirSync, readFileSync } from 'node:fs'

interface ProcInfo { pid: number, ppid: number, session: number, state: string }

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // comm may contain spaces and parentheses: the fields we need follow the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { pid, state: rest[0]!, ppid: Number(rest[1]), session: Number(rest[3]) }
  }
  catch {
    return undefined // gone meanwhile
  }
}

function allProcs(): ProcInfo[] {
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

/** The live processes (zombies excluded) of the session led by `leader`, and their descendants. */
export function sessionProcesses(leader: number, includeZombies = false): number[] {
  const procs = allProcs()
  const members = new Set<number>()
  for (const p of procs) {
    if (p.pid === leader || p.session === leader)
      members.add(p.pid)
  }
  // Descendants that left the session (setsid, daemons started by a demo) still belong to it.
  let grew = true
  while (grew) {
    grew = false
    for (const p of procs) {
      if (!members.has(p.pid) && members.has(p.ppid)) {
        members.add(p.pid)
        grew = true
      }
    }
  }
  return procs.filter(p => members.has(p.pid) && (includeZombies || p.state !== 'Z')).map(p => p.pid)
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal)
    }
    catch {} // already gone
  }
}

async function waitGone(leader: number, ms: number): Promise<number[]> {
  const until = Date.now() + ms
  let left = sessionProcesses(leader)
  while (left.length > 0 && Date.now() < until) {
    await sleep(25)
    left = sessionProcesses(leader)
  }
  return left
}

/**
 * SIGHUP (what a closed terminal means), then SIGTERM, then SIGKILL, to every process of the
 * session. Resolves when none is left alive; returns the pids that needed SIGKILL.
 */
export async function killSession(leader: number, graceMs = 400): Promise<number[]> {
  let left = sessionProcesses(leader)
  for (const signal of ['SIGHUP', 'SIGTERM'] as const) {
    if (left.length === 0)
      return reaped(leader, [])
    signalAll(left, signal)
    // SIGCONT lets stopped jobs (Ctrl-Z) act on the signal.
    signalAll(left, 'SIGCONT')
    left = await waitGone(leader, graceMs)
  }
  if (left.length === 0)
    return reaped(leader, [])
  signalAll(left, 'SIGKILL')
  await waitGone(leader, 2000)
  return reaped(leader, left)
}

/**
 * Dead processes stay in /proc until their parent reaps them (node-pty for the shell, init for
 * orphans), which takes a moment: wait for that, bounded, so that "ended" means gone.
 */
async function reaped<T>(leader: number, result: T): Promise<T> {
  const until = Date.now() + 3000
  while (sessionProcesses(leader, true).length > 0 && Date.now() < until)
    await sleep(50)
  return result
}
