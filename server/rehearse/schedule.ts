/**
 * Which demos a parallel rehearsal runs when: at most `jobs` at once, an `exclusive` demo with no
 * other beside it, and a "quiet" moment (nothing running, nothing started until it is over)
 * whenever the last running demo ends, for what can only be judged on a machine at rest (what
 * the demos left behind, see cli/rehearse.ts).
 */
import os from 'node:os'

/**
 * The default number of demos rehearsed at once, the one rule: two per CPU core (a rehearsal
 * mostly waits, on pods, rollouts and the typing pace), and no more than one per GiB of memory
 * available (a demo's shell, its headless screen and its pods), at least 1.
 */
export function defaultJobs(cores = os.availableParallelism(), freeBytes = os.freemem()): number {
  return Math.max(1, Math.min(2 * cores, Math.floor(freeBytes / 2 ** 30)))
}

/** A `--jobs` value: a whole number ≥ 1, or `auto` (and absent) for defaultJobs(); else undefined. */
export function jobsOption(value: string | undefined): number | undefined {
  const jobs = value === undefined || value === 'auto' ? defaultJobs() : Number(value)
  return Number.isInteger(jobs) && jobs >= 1 ? jobs : undefined
}

/**
 * How demos run side by side report: every line names its demo (ids padded to one width), and
 * one report's lines are written whole, never interleaved with another demo's.
 */
export function demoReporter(ids: readonly string[]): (demo: Schedulable, text: string) => void {
  const width = Math.max(0, ...ids.map(id => id.length))
  return (demo, text) => console.log(text.split('\n').map(l => `${demo.id.padEnd(width)} │ ${l}`).join('\n'))
}

export interface Schedulable { id: string, exclusive: boolean }

/**
 * Runs every item through `run`, in the given order, never more than `jobs` at once; an exclusive
 * item waits until nothing runs and nothing starts beside it (the items behind it wait too, so it
 * is not starved). Each time the running set empties, `quiet()` runs before anything else starts.
 */
export async function runScheduled<T extends Schedulable>(items: readonly T[], jobs: number, run: (item: T) => Promise<void>, quiet: () => Promise<void> = async () => {}): Promise<void> {
  const queue = [...items]
  const running = new Set<T>()
  let hushed = false
  return new Promise<void>((resolve, reject) => {
    const pump = () => {
      if (hushed)
        return
      while (queue.length > 0) {
        const next = queue[0]!
        const alone = [...running].some(r => r.exclusive)
        if (alone || (next.exclusive ? running.size > 0 : running.size >= jobs))
          break
        queue.shift()
        running.add(next)
        run(next).then(() => finished(next), reject)
      }
      if (queue.length === 0 && running.size === 0)
        resolve()
    }
    const finished = (item: T) => {
      running.delete(item)
      if (running.size > 0)
        return pump()
      hushed = true
      quiet().then(() => {
        hushed = false
        pump()
      }, reject)
    }
    pump()
  })
}
