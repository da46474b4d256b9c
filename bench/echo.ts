/**
 * Echo latency: one keystroke's round trip, browser-less. In the shell, `stty raw -echo; cat`
 * turns the pty into a byte-for-byte echo by a user process (as readline does at the prompt);
 * the bench sends one character and times until it comes back. The full bridge and the raw
 * baseline run side by side in their own processes and take turns keystroke by keystroke,
 * so both see the same machine noise.
 */
import type { Host, Terminal } from './bridge-client.ts'
import { openTerminal, startHost, waitForPrompt } from './bridge-client.ts'
import { now, percentile, progress, round, withTimeout } from './lib.ts'

export interface EchoResult {
  keystrokes: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  rawP50Ms: number
  rawP99Ms: number
  rawMaxMs: number
}

export async function echoShell(host: Host): Promise<Terminal> {
  const t = await openTerminal(host)
  await waitForPrompt(t)
  t.type('stty raw -echo; echo RE""ADY; exec cat\r')
  await t.waitForTail(/READY\r?\n/)
  return t
}

export async function roundTrip(t: Terminal, ch: string): Promise<number> {
  const t0 = now()
  const back = new Promise<void>((resolve) => {
    t.onData = (b) => {
      if (b.includes(ch))
        resolve()
    }
  })
  t.type(ch)
  await withTimeout(back, 5_000, `echo of ${JSON.stringify(ch)} from the ${t.kind} bridge`)
  t.onData = undefined
  return now() - t0
}

export async function measureEcho(keystrokes = 1500, warmup = 100): Promise<EchoResult> {
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
      if ((i + 1) % 500 === 0)
        progress(`  echo: ${i + 1 - Math.min(i + 1, warmup)}/${keystrokes} keystrokes`)
    }
    await Promise.all([tf.close(), tr.close()])
    return {
      keystrokes,
      p50Ms: round(percentile(samples.full, 50), 3),
      p99Ms: round(percentile(samples.full, 99), 3),
      maxMs: round(Math.max(...samples.full), 3),
      rawP50Ms: round(percentile(samples.raw, 50), 3),
      rawP99Ms: round(percentile(samples.raw, 99), 3),
      rawMaxMs: round(Math.max(...samples.raw), 3),
    }
  }
  finally {
    await Promise.all([full.stop(), raw.stop()])
  }
}
