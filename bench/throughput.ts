/**
 * Throughput: MB/s (10^6 bytes) of pty output delivered to a client that consumes and acks it
 * like the browser (bench/bridge-ends.ts), full bridge vs the raw baseline. The shell runs
 * `head -c N /dev/zero | base64` then prints a marker; the clock runs from the keystroke that
 * starts it to the marker's arrival. Runs alternate between the bridges; the median counts.
 */
import type { BridgeKind, Host } from './bridge-ends.ts'
import { openTerminal, startHost, waitForPrompt } from './bridge-ends.ts'
import { median, now, progress, round } from './lib.ts'

export interface ThroughputRun { kind: BridgeKind, bytes: number, ms: number, mbps: number, frames: number, acks: number }

export interface ThroughputResult {
  /** Input to base64, in MiB per run; the pty carries 4/3 of it plus line ends. */
  inputMib: number
  runs: number
  mbps: number
  rawMbps: number
  ratio: number
  /** Average binary frame size (bytes) and frames per ack, full bridge. */
  avgFrameBytes: number
  rawAvgFrameBytes: number
  all: ThroughputRun[]
}

async function oneRun(host: Host, inputMib: number): Promise<ThroughputRun> {
  const t = await openTerminal(host)
  try {
    await waitForPrompt(t)
    const before = { ...t.stats }
    const t0 = now()
    // A marker of this run's own: a window joining the demo's session again is first replayed its scrollback, the last run's end included.
    const mark = `${Date.now()}`
    t.type(`head -c ${inputMib}M /dev/zero | base64; echo DO""NE-${mark}\r`)
    await t.waitForTail(new RegExp(`DONE-${mark}\\r\\n`), 120_000)
    const ms = now() - t0
    const bytes = t.stats.bytes - before.bytes
    return { kind: host.kind, bytes, ms: round(ms, 1), mbps: round(bytes / 1e6 / (ms / 1000), 1), frames: t.stats.frames - before.frames, acks: t.stats.acks - before.acks }
  }
  finally {
    await t.close()
  }
}

export async function measureThroughput(inputMib = 64, runs = 3): Promise<ThroughputResult> {
  const [full, raw] = await Promise.all([startHost('full'), startHost('raw')])
  try {
    const all: ThroughputRun[] = []
    await oneRun(full, 8) // warm-up: JIT, page cache
    await oneRun(raw, 8)
    for (let i = 0; i < runs; i++) {
      for (const host of i % 2 ? [raw, full] : [full, raw]) {
        const r = await oneRun(host, inputMib)
        all.push(r)
        progress(`  throughput ${r.kind}: ${r.mbps} MB/s (${(r.bytes / 1e6).toFixed(0)} MB in ${(r.ms / 1000).toFixed(2)} s, ${r.frames} frames, ${r.acks} acks)`)
      }
    }
    const of = (k: BridgeKind) => all.filter(r => r.kind === k)
    const mbps = median(of('full').map(r => r.mbps))
    const rawMbps = median(of('raw').map(r => r.mbps))
    const avgFrame = (k: BridgeKind) => round(of(k).reduce((s, r) => s + r.bytes, 0) / of(k).reduce((s, r) => s + r.frames, 0), 0)
    return { inputMib, runs, mbps, rawMbps, ratio: round(mbps / rawMbps, 3), avgFrameBytes: avgFrame('full'), rawAvgFrameBytes: avgFrame('raw'), all }
  }
  finally {
    await Promise.all([full.stop(), raw.stop()])
  }
}
