/**
 * Echo latency: one keystroke's round trip, browser-less. In the shell, `stty raw -echo; cat`
 * turns the pty into a byte-for-byte echo by a user process (as readline does at the prompt);
 * the bench sends one character and times until it comes back. The full bridge and the raw
 * baseline run side by side in their own processes and take turns keystroke by keystroke,
 * so both see the same machine noise; several runs, each with fresh processes, and the median
 * over the runs, so that one run's luck (where the scheduler put the processes) is not the figure.
 */
import type { Host, Terminal } from './bridge-ends.ts'
import { openTerminal, startHost, waitForPrompt } from './bridge-ends.ts'
import { median, now, percentile, progress, round } from './lib.ts'
import { within } from '../dev/wait.ts'

export interface EchoResult {
  /** Runs, each with fresh bridge processes; every figure is the median over the runs (max: the worst). */
  runs: number
  keystrokesPerRun: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  rawP50Ms: number
  rawP99Ms: number
  rawMaxMs: number
  /** Each run's p50, full bridge and raw, to see the spread. */
  p50sMs: number[]
  rawP50sMs: number[]
}

/** The `shell` demo turned into a byte-for-byte echo (`stty raw -echo; exec cat`). */
export async function echoShell(host: Host): Promise<Terminal> {
  const t = await openTerminal(host)
  await waitForPrompt(t)
  t.type('stty raw -echo; echo RE""ADY; exec cat\r')
  await t.waitForTail(/READY\r?\n/)
  return t
}

/** One keystroke's round trip, in ms. */
export async function roundTrip(t: Terminal, ch: string): Promise<number> {
  const t0 = now()
  const back = new Promise<void>((resolve) => {
    t.onData = (b) => {
      if (b.includes(ch))
        resolve()
    }
  })
  t.type(ch)
  await within(back, 5_000, `echo of ${JSON.stringify(ch)} from the ${t.kind} bridge`)
  t.onData = undefined
  return now() - t0
}

/** One run: fresh processes for both bridges, then keystrokes in turns. */
async function oneRun(keystrokes: number, warmup: number): Promise<{ full: number[], raw: number[] }> {
  const [full, raw] = await Promise.all([startHost('full'), startHost('raw')])
  try {
    const [tf, tr] = await Promise.all([echoShell(full), echoShell(raw)])
    const samples = { full: [] as number[], raw: [] as number[] }
    for (let i = 0; i < warmup + keystrokes; i++) {
      const ch = String.fromCharCode(0x61 + (i % 26))
      // Alternate which goes first, so neither always follows the other's wake-up.
      const order: [Terminal, number[]][] = i % 2 ? [[tf, samples.full], [tr, samples.raw]] : [[tr, samples.raw], [tf, samples.full]]
      for (const [t, into] of order) {
        const ms = await roundTrip(t, ch)
        if (i >= warmup)
          into.push(ms)
      }
    }
    await Promise.all([tf.close(), tr.close()])
    return samples
  }
  finally {
    await Promise.all([full.stop(), raw.stop()])
  }
}

export async function measureEcho(runs = 5, keystrokesPerRun = 400, warmup = 100): Promise<EchoResult> {
  const perRun: { full: number[], raw: number[] }[] = []
  for (let i = 0; i < runs; i++) {
    perRun.push(await oneRun(keystrokesPerRun, warmup))
    const last = perRun.at(-1)!
    progress(`  echo run ${i + 1}/${runs}: p50 ${round(percentile(last.full, 50), 3)} ms, raw ${round(percentile(last.raw, 50), 3)} ms`)
  }
  const over = (kind: 'full' | 'raw', p: number) => round(median(perRun.map(r => percentile(r[kind], p))), 3)
  return {
    runs,
    keystrokesPerRun,
    p50Ms: over('full', 50),
    p99Ms: over('full', 99),
    maxMs: round(Math.max(...perRun.flatMap(r => r.full)), 3),
    rawP50Ms: over('raw', 50),
    rawP99Ms: over('raw', 99),
    rawMaxMs: round(Math.max(...perRun.flatMap(r => r.raw)), 3),
    p50sMs: perRun.map(r => round(percentile(r.full, 50), 3)),
    rawP50sMs: perRun.map(r => round(percentile(r.raw, 50), 3)),
  }
}
