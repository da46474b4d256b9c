/**
 * Shared helpers for the benchmarks: paths, timing and statistics, Chromium, the machine
 * (bounded waiting and Slidev: dev/). Processes: bench/processes.ts; the network namespace: bench/netns.ts.
 */
import type { Browser } from 'playwright-core'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { chromium } from 'playwright-core'
import WebSocket from 'ws'
import { within } from '../dev/wait.ts'
import { chromiumOrExit } from '../server/doctor/chromium.ts'

export const REPO = fileURLToPath(new URL('../', import.meta.url))
export const BENCH_DIR = path.join(REPO, 'bench')
export const CHROMIUM = chromiumOrExit()

export const now = () => performance.now()

const started = now()
/** A progress line, with the time since the bench started. */
export function progress(line: string): void {
  const s = ((now() - started) / 1000).toFixed(1).padStart(6)
  console.log(`[${s}s] ${line}`)
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** The p-th percentile (0..100) of the values, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0)
    return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export const median = (values: number[]) => percentile(values, 50)

const INSPECTOR_TARGETS = z.array(z.object({ webSocketDebuggerUrl: z.string() }))
const INSPECTOR_REPLY = z.object({ id: z.number() })

/**
 * A full garbage collection in a process started with --inspect (via the inspector's
 * HeapProfiler.collectGarbage), so that RSS read afterwards is live memory, not GC timing.
 */
export async function collectGarbage(inspectPort: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${inspectPort}/json/list`, { signal: AbortSignal.timeout(5_000) })
  const url = INSPECTOR_TARGETS.parse(await res.json())[0]?.webSocketDebuggerUrl
  if (!url)
    throw new Error('no inspector target')
  const ws = new WebSocket(url)
  try {
    await within(new Promise<void>((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })))
      ws.on('message', (data) => {
        if (INSPECTOR_REPLY.safeParse(JSON.parse(data.toString())).data?.id === 1)
          resolve()
      })
      ws.once('error', reject)
    }), 30_000, 'a garbage collection over the inspector')
  }
  finally {
    ws.close()
  }
}


/**
 * Without WebGL (--disable-3d-apis) the terminal draws with its DOM renderer, as on a machine
 * without a GPU: the bench reads the screen from those rows (dev/dom-screen.ts), never from a hook.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--disable-3d-apis'] })
}

export interface Machine {
  cpu: string
  cores: number
  memoryGb: number
  node: string
  os: string
  date: string
  load: number[]
}

export function machineInfo(): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
    load: os.loadavg().map(l => round(l, 2)),
  }
}
