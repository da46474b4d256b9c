/**
 * The one way a session's processes are ended, whoever finds them (its cgroup, or a scan of its
 * terminal session and tag): SIGHUP (what a closed terminal means), then SIGTERM, each with
 * SIGCONT (stopped jobs act on it) and `graceMs` to go; then the last resort, repeated for up to
 * 2 s, since a process may fork between a look and its kill.
 */
import { pollUntil } from '../../common/wait.ts'

/** Sends `signal` to each of `pids` that still exists. */
export function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal)
    }
    catch {} // already gone
  }
}

/**
 * `alive()` lists what is left; `kill(pids)` is the last resort (SIGKILL to each, or a cgroup's
 * own kill). Resolves when nothing is left or the time is up; returns the pids the last resort was for.
 */
export async function escalate(alive: () => number[], graceMs: number, kill: (pids: number[]) => void = pids => signalAll(pids, 'SIGKILL')): Promise<number[]> {
  for (const signal of ['SIGHUP', 'SIGTERM'] as const) {
    const left = alive()
    if (left.length === 0)
      return []
    signalAll(left, signal)
    signalAll(left, 'SIGCONT')
    await pollUntil(() => alive().length === 0, graceMs)
  }
  const killed = new Set<number>()
  await pollUntil(() => {
    const left = alive()
    left.forEach(pid => killed.add(pid))
    if (left.length > 0)
      kill(left)
    return left.length === 0
  }, 2000, 50)
  return [...killed]
}
